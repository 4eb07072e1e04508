import { describe, expect, it } from 'vitest';
import { adToStoreJourney } from '../../../core/graph/examples';
import { NODE_CATEGORIES, NODE_KINDS, kindName, outputsOf, summaryOf } from '../../../core/graph/kinds';
import { JourneyNode, NODE_TYPES } from '../../../core/graph/nodes';

describe('node-kind registry', () => {
	it('has an entry for every node kind the schema knows, and nothing else', () => {
		expect(Object.keys(NODE_KINDS).sort()).toEqual([...NODE_TYPES].sort());
		for (const type of NODE_TYPES) {
			const kind = NODE_KINDS[type];
			expect(kind.type).toBe(type);
			expect(kind.name.length).toBeGreaterThan(0);
			expect(kind.noun.length).toBeGreaterThan(0);
			expect(NODE_CATEGORIES).toContain(kind.category);
			expect(kind.help).toMatch(/\.$/);
		}
	});

	it('gives every kind defaults of its own type that describe themselves without throwing', () => {
		for (const type of NODE_TYPES) {
			const node = { id: `n-${type}`, ...NODE_KINDS[type].defaults() } as JourneyNode;
			expect(node.type).toBe(type);
			expect(typeof summaryOf(node)).toBe('string');
		}
	});

	it('hands out fresh defaults, so editing one new node never edits the next', () => {
		const a = NODE_KINDS.randomSplit.defaults();
		a.variants[0]!.label = 'changed';
		expect(NODE_KINDS.randomSplit.defaults().variants[0]!.label).toBe('A');
	});

	it('lets the palette create a valid node where nothing is left for the marketer to decide', () => {
		for (const type of ['wait', 'randomSplit', 'exit'] as const) {
			expect(JourneyNode.safeParse({ id: 'x', ...NODE_KINDS[type].defaults() }).success).toBe(true);
		}
		// An SMS with no text is not valid: validation points the marketer at it.
		expect(JourneyNode.safeParse({ id: 'x', ...NODE_KINDS.sendSms.defaults() }).success).toBe(false);
	});

	it('names outputs by their branch (handle) names, in canvas order', () => {
		const split = { id: 's', ...NODE_KINDS.randomSplit.defaults() } as JourneyNode;
		expect(outputsOf(split).map((b) => b.handle)).toEqual(['a', 'b']);
		const cond = { id: 'c', ...NODE_KINDS.condition.defaults() } as JourneyNode;
		expect(outputsOf(cond).map((b) => b.handle)).toEqual(['yes', 'else']);
	});

	it('summarises the demo journey’s steps in a few words', () => {
		const summaries = Object.fromEntries(adToStoreJourney.nodes.map((n) => [n.id, summaryOf(n)]));
		expect(summaries['wait-1d']).toBe('1 day');
		expect(Object.values(summaries).every((s) => s.length > 0 && s.length <= 60)).toBe(true);
		expect(kindName('sendSms')).toBe('SMS');
		expect(kindName('mystery')).toBe('mystery');
	});
});
