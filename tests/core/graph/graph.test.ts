import { describe, expect, it } from 'vitest';
import {
	JourneyDefinition,
	JourneyNode,
	adToStoreJourney,
	branchesOf,
	displayOrder,
	interestsAt,
	layers,
	nextNode,
	outgoingEdges,
	reachableFrom,
	triggerOf
} from '../../../core/graph';

const node = (raw: unknown) => JourneyNode.parse(raw);
const cond = { kind: 'consent', channel: 'email', granted: true };

describe('branchesOf', () => {
	it('gives each node kind its outputs; single outputs have no handle', () => {
		expect(branchesOf(node({ id: 's', type: 'sendSms', body: 'Hi' }))).toEqual([{ label: 'Next' }]);
		expect(branchesOf(node({ id: 'x', type: 'exit' }))).toEqual([]);
		expect(branchesOf(adToStoreJourney.nodes[4] ?? node({ id: 'x', type: 'exit' })).map((b) => b.handle)).toEqual(['event', 'timeout']);
		const condition = node({
			id: 'c',
			type: 'condition',
			elseLabel: 'Others',
			branches: [{ id: 'vip', label: 'VIP', match: 'all', conditions: [cond] }]
		});
		expect(branchesOf(condition)).toEqual([
			{ handle: 'vip', label: 'VIP' },
			{ handle: 'else', label: 'Others' }
		]);
		const split = node({ id: 'r', type: 'randomSplit', holdoutPercent: 10, variants: [{ id: 'a', label: 'A', weight: 1 }] });
		expect(branchesOf(split)).toEqual([{ handle: 'a', label: 'A' }]); // holdout is never wired
	});
});

describe('walking the example', () => {
	it('finds the trigger, outgoing edges and next nodes', () => {
		expect(triggerOf(adToStoreJourney)?.id).toBe('trigger');
		expect(outgoingEdges(adToStoreJourney, 'wait-order').map((e) => e.sourceHandle)).toEqual(['event', 'timeout']);
		expect(nextNode(adToStoreJourney, 'wait-order')).toBeUndefined(); // it has no default output
		expect(nextNode(adToStoreJourney, 'sms')?.type).toBe('storeTask');
	});

	it('computes reachability and a display order by columns', () => {
		expect(reachableFrom(adToStoreJourney, 'sms')).toEqual(new Set(['sms', 'store', 'exit']));
		expect(layers(adToStoreJourney, 'trigger')).toEqual([
			['trigger'],
			['offer'],
			['wait-1d'],
			['email'],
			['wait-order'],
			['exit-converted', 'sms'],
			['store'],
			['exit']
		]);
	});

	it('places a node after its furthest predecessor, ignores loop back edges and lists unreachable nodes last', () => {
		const graph = {
			nodes: [{ id: 't' }, { id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'lost' }],
			edges: [
				{ source: 't', target: 'a' },
				{ source: 'a', target: 'b' },
				{ source: 't', target: 'b' },
				{ source: 'b', target: 'c' },
				{ source: 'c', target: 'a' }
			]
		};
		expect(layers(graph, 't')).toEqual([['t'], ['a'], ['b'], ['c'], ['lost']]);
		const def = JourneyDefinition.parse({ ...adToStoreJourney, nodes: [...adToStoreJourney.nodes].reverse() });
		expect(displayOrder(def)[0]).toBe('trigger');
		expect(displayOrder(def)).toHaveLength(adToStoreJourney.nodes.length);
	});
});

describe('interestsAt', () => {
	it('lists exit, goal and the current wait-for-event events, with the paths they read', () => {
		expect(interestsAt(adToStoreJourney, 'email')).toEqual({ events: ['offer_redeemed', 'order_completed'], propertyPaths: [] });
		const def = JourneyDefinition.parse({
			...adToStoreJourney,
			nodes: adToStoreJourney.nodes.map((n) =>
				n.type === 'waitForEvent' ? { ...n, event: 'store_visit', matchEntryProperty: 'campaign', filters: [{ path: 'store.id', op: 'exists' }] } : n
			)
		});
		expect(interestsAt(def, 'wait-order')).toEqual({
			events: ['offer_redeemed', 'order_completed', 'store_visit'],
			propertyPaths: ['campaign', 'store.id']
		});
	});
});
