import { describe, expect, it } from 'vitest';
import { NODE_KINDS, adToStoreJourney, emptyLayout, type JourneyDefinition, type JourneyNode, type NodeType } from '../../../core/graph/index';
import { TEMPLATES } from '../../../core/graph/templates/index';
import { NODE_HEIGHT, NODE_WIDTH, fromFlow, readDraft, tidy, toFlow, type Draft } from '../../../web/lib/builder/flow';

/** Definition → flow → definition, layout included. */
function roundTrip(def: JourneyDefinition, layout = emptyLayout()) {
	const flow = toFlow(readDraft(def), layout);
	const back = fromFlow(flow.nodes, flow.edges);
	return { flow, back };
}

/** One node of every kind, each wired from the trigger, with the kind's defaults. */
function everyKind(): JourneyDefinition {
	const types = Object.keys(NODE_KINDS) as NodeType[];
	const nodes = types.map((t, i) => ({ id: `n${i}-${t}`, label: NODE_KINDS[t].name, ...NODE_KINDS[t].defaults() }) as JourneyNode);
	const trigger = nodes.find((n) => n.type === 'trigger')!;
	const edges = nodes.filter((n) => n !== trigger).map((n) => ({ id: `e-${n.id}`, source: trigger.id, target: n.id }));
	// A branched node's outputs too, so handles round-trip.
	edges.push({ id: 'e-cond-yes', source: nodes.find((n) => n.type === 'condition')!.id, target: 'n0-trigger', sourceHandle: 'yes' } as never);
	return { schemaVersion: 1, nodes, edges, settings: { reentry: { mode: 'never' }, exitCriteria: [] } };
}

describe('definition ⇄ flow', () => {
	it('round-trips a node of every kind with its defaults', () => {
		const def = everyKind();
		const { flow, back } = roundTrip(def);
		expect(back.nodes).toEqual(def.nodes);
		expect(back.edges).toEqual(def.edges);
		expect(flow.nodes.map((n) => n.type)).toEqual(def.nodes.map((n) => n.type));
		// The flow node's data is the journey node without its id.
		for (const n of flow.nodes) expect(n.data).not.toHaveProperty('id');
	});

	it('round-trips the headline example with its layout', () => {
		const layout = { nodes: Object.fromEntries(adToStoreJourney.nodes.map((n, i) => [n.id, { x: i * 10, y: i * 100 }])) };
		const { flow, back } = roundTrip(adToStoreJourney, layout);
		expect(back.nodes).toEqual(adToStoreJourney.nodes);
		expect(back.edges).toEqual(adToStoreJourney.edges);
		expect(back.positions).toEqual(layout.nodes);
		const timeout = flow.edges.find((e) => e.id === 'e-order-sms')!;
		expect(timeout.sourceHandle).toBe('timeout');
		expect(timeout.data?.label).toBe('Timed out');
		// Single-output nodes have no handle at all, not `undefined` written as a key.
		expect(
			Object.hasOwn(
				flow.edges.find((e) => e.id === 'e-trigger-offer')!,
				'sourceHandle'
			)
		).toBe(false);
	});

	it.each(TEMPLATES.map((t) => [t.id, t] as const))('round-trips the %s template, laid out on first open', (_id, template) => {
		const def = template.build();
		const { flow, back } = roundTrip(def);
		expect(back.nodes).toEqual(def.nodes);
		expect(back.edges).toEqual(def.edges);
		// Templates carry no layout: every node gets its own place.
		expect(new Set(flow.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(def.nodes.length);
	});

	it('drops xyflow’s null handles on the way back', () => {
		const back = fromFlow([], [{ id: 'e', source: 'a', target: 'b', sourceHandle: null }]);
		expect(back.edges).toEqual([{ id: 'e', source: 'a', target: 'b' }]);
	});

	it('places nodes that have no saved position and keeps saved ones', () => {
		const { flow } = roundTrip(adToStoreJourney, { nodes: { trigger: { x: 5, y: 7 } } });
		expect(flow.nodes.find((n) => n.id === 'trigger')!.position).toEqual({ x: 5, y: 7 });
		const positions = new Set(flow.nodes.map((n) => `${n.position.x},${n.position.y}`));
		expect(positions.size).toBe(flow.nodes.length);
	});

	it('reads a broken draft without throwing', () => {
		const draft = readDraft({ nodes: [{ id: 'x', type: 'exit' }, { nope: true }, 'text'], edges: 'no' });
		expect(draft.nodes).toHaveLength(1);
		expect(draft.edges).toEqual([]);
		expect(readDraft(null).nodes).toEqual([]);
	});
});

describe('tidy', () => {
	const xOf = (pos: Record<string, { x: number }>, id: string) => pos[id]!.x;

	it('keeps branch order: yes left of else, A left of B, event left of timeout', () => {
		// Edges listed in the "wrong" order on purpose: the layout must follow the handles, not the list.
		const draft: Pick<Draft, 'nodes' | 'edges'> = {
			nodes: [
				{ id: 't', type: 'trigger', entry: { kind: 'manual' } },
				{
					id: 'c',
					type: 'condition',
					branches: [
						{ id: 'vip', label: 'VIP', match: 'all', conditions: [] },
						{ id: 'yes', label: 'Yes', match: 'all', conditions: [] }
					]
				},
				{
					id: 's',
					type: 'randomSplit',
					variants: [
						{ id: 'a', label: 'A', weight: 1 },
						{ id: 'b', label: 'B', weight: 1 },
						{ id: 'c3', label: 'C', weight: 1 }
					]
				},
				{ id: 'w', type: 'waitForEvent', event: 'x', timeout: { amount: 1, unit: 'days' } },
				{ id: 'x1', type: 'exit' },
				{ id: 'x2', type: 'exit' },
				{ id: 'x3', type: 'exit' },
				{ id: 'x4', type: 'exit' },
				{ id: 'x5', type: 'exit' },
				{ id: 'x6', type: 'exit' }
			] as JourneyNode[],
			edges: [
				{ id: '1', source: 't', target: 'c' },
				{ id: '2', source: 'c', target: 'w', sourceHandle: 'else' },
				{ id: '3', source: 'c', target: 's', sourceHandle: 'yes' },
				{ id: '4', source: 'c', target: 'x1', sourceHandle: 'vip' },
				{ id: '5', source: 's', target: 'x4', sourceHandle: 'c3' },
				{ id: '6', source: 's', target: 'x3', sourceHandle: 'b' },
				{ id: '7', source: 's', target: 'x2', sourceHandle: 'a' },
				{ id: '8', source: 'w', target: 'x6', sourceHandle: 'timeout' },
				{ id: '9', source: 'w', target: 'x5', sourceHandle: 'event' }
			]
		};
		const pos = tidy(draft);
		expect(xOf(pos, 'x1')).toBeLessThan(xOf(pos, 's'));
		expect(xOf(pos, 's')).toBeLessThan(xOf(pos, 'w'));
		expect(xOf(pos, 'x2')).toBeLessThan(xOf(pos, 'x3'));
		expect(xOf(pos, 'x3')).toBeLessThan(xOf(pos, 'x4'));
		expect(xOf(pos, 'x5')).toBeLessThan(xOf(pos, 'x6'));
		// Top to bottom: each step below its parent, nothing overlapping.
		expect(pos.c!.y).toBeGreaterThan(pos.t!.y);
		const boxes = Object.values(pos);
		for (const a of boxes) for (const b of boxes) if (a !== b) expect(Math.abs(a.x - b.x) >= NODE_WIDTH || Math.abs(a.y - b.y) >= NODE_HEIGHT).toBe(true);
	});

	it('lays out the headline example with the converted exit left of the SMS', () => {
		const pos = tidy(adToStoreJourney);
		expect(Object.keys(pos).sort()).toEqual(adToStoreJourney.nodes.map((n) => n.id).sort());
		expect(xOf(pos, 'exit-converted')).toBeLessThan(xOf(pos, 'sms'));
		expect(pos.email!.y).toBeGreaterThan(pos.offer!.y);
	});
});
