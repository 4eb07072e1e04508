import { describe, expect, it } from 'vitest';
import { adToStoreJourney, emptyLayout, validateJourney } from '../../../core/graph/index';
import { readDraft } from '../../../web/lib/builder/flow';
import * as ops from '../../../web/lib/builder/operations';

const start = (): ops.Doc => ops.withPositions({ draft: readDraft(structuredClone(adToStoreJourney)), layout: emptyLayout() });

describe('builder operations', () => {
	it('inserts a step dropped onto an edge between its two ends', () => {
		const doc = start();
		const { doc: next, id } = ops.addNode(doc, 'sendSms', { x: 0, y: 0 }, { onEdge: 'e-order-sms' });
		expect(id).toBe('send-sms');
		expect(next.draft.edges.find((e) => e.target === id)).toMatchObject({ source: 'wait-order', sourceHandle: 'timeout' });
		expect(next.draft.edges.find((e) => e.source === id)).toMatchObject({ target: 'sms' });
		expect(next.draft.edges.some((e) => e.id === 'e-order-sms')).toBe(false);
		expect(next.layout.nodes[id]).toEqual({ x: 0, y: 0 });
		expect(doc.draft.nodes).toHaveLength(9); // the old document is untouched
	});

	it('wires one output once: connecting a wired output moves its wire', () => {
		const next = ops.connect(start(), { source: 'wait-order', sourceHandle: 'event', target: 'exit' });
		const fromEvent = next.draft.edges.filter((e) => e.source === 'wait-order' && e.sourceHandle === 'event');
		expect(fromEvent).toHaveLength(1);
		expect(fromEvent[0]!.target).toBe('exit');
	});

	it('removes steps with their connections and positions', () => {
		const next = ops.remove(start(), { nodes: ['sms'] });
		expect(next.draft.nodes.some((n) => n.id === 'sms')).toBe(false);
		expect(next.draft.edges.some((e) => e.source === 'sms' || e.target === 'sms')).toBe(false);
		expect(next.layout.nodes.sms).toBeUndefined();
	});

	it('pastes a copied fragment with fresh ids, its inner references following', () => {
		const doc = start();
		const fragment = ops.readFragment(JSON.stringify(ops.copyFragment(doc, ['offer', 'store'])))!;
		const { doc: next, ids } = ops.pasteFragment(doc, fragment);
		expect(ids).toEqual(['offer-2', 'store-2']);
		const store = next.draft.nodes.find((n) => n.id === 'store-2');
		expect(store).toMatchObject({ type: 'storeTask', offerNodeId: 'offer-2' });
		// The labels are text, not references: they stay.
		expect(next.draft.nodes.find((n) => n.id === 'offer-2')!.label).toBe('15% off');
		// Pasted beside the original, shifted down and right.
		expect(next.layout.nodes['offer-2']).toEqual({ x: doc.layout.nodes.offer!.x + 40, y: doc.layout.nodes.offer!.y + 40 });
		expect(ops.readFragment('not json')).toBeUndefined();
	});

	it('never pastes a second trigger', () => {
		const doc = start();
		const { ids } = ops.duplicate(doc, ['trigger', 'email']);
		expect(ids).toEqual(['email-2']);
	});

	it('drops the wires of branches a panel edit removed', () => {
		const doc = start();
		const wait = doc.draft.nodes.find((n) => n.id === 'wait-order')!;
		const next = ops.replaceNode(doc, { ...wait, label: 'Renamed' });
		expect(next.draft.edges).toEqual(doc.draft.edges);
		const asWait = ops.replaceNode(doc, { id: 'wait-order', type: 'wait', mode: 'duration', duration: { amount: 1, unit: 'days' } });
		expect(asWait.draft.edges.some((e) => e.source === 'wait-order')).toBe(false);
	});

	it('keeps the example valid through a tidy-up and an undoable chain of edits', () => {
		let doc = ops.tidyUp(start());
		doc = ops.nudge(doc, ['email'], 8, 0);
		expect(validateJourney(doc.draft).ok).toBe(true);
		expect(ops.freeOutputs(doc, 'email')).toEqual([]);
		expect(ops.freeOutputs(ops.remove(doc, { edges: ['e-order-sms'] }), 'wait-order')).toEqual([{ source: 'wait-order', sourceHandle: 'timeout' }]);
	});
});

describe('making room', () => {
	it('moves the steps after an insertion down when the new step would cover them', () => {
		const doc: ops.Doc = {
			draft: readDraft({
				nodes: [
					{ id: 't', type: 'trigger', entry: { kind: 'manual' } },
					{ id: 'x', type: 'exit' }
				],
				edges: [{ id: 'e', source: 't', target: 'x' }]
			}),
			layout: { nodes: { t: { x: 0, y: 0 }, x: { x: 0, y: 168 } } }
		};
		const { doc: next, id } = ops.addNode(doc, 'wait', ops.positionAfter(doc, { source: 't' }), { onEdge: 'e' });
		expect(next.layout.nodes[id]).toEqual({ x: 0, y: 168 });
		expect(next.layout.nodes.x!.y).toBeGreaterThanOrEqual(168 + 96);
		expect(next.layout.nodes.t).toEqual({ x: 0, y: 0 });
	});
});

describe('pasting into a busy canvas', () => {
	it('finds a spot clear of every step', () => {
		const doc = start();
		const at = doc.layout.nodes.email!;
		const spot = ops.freeSpot(doc, at, { width: 256, height: 96 });
		expect(spot.y).toBe(at.y);
		expect(spot.x).toBeGreaterThan(at.x);
		for (const p of Object.values(doc.layout.nodes)) expect(Math.abs(p.x - spot.x) >= 256 || Math.abs(p.y - spot.y) >= 96).toBe(true);
	});
});
