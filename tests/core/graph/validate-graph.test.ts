import { describe, expect, it } from 'vitest';
import { validateJourney } from '../../../core/graph';
import { chain, codesOf, edge, exit, journey, problemsOf, sms, trigger, wait } from './fixtures';

const waitForOrder = { id: 'o', type: 'waitForEvent', label: 'Order?', event: 'order_completed', timeout: { amount: 2, unit: 'days' } };

describe('validateJourney: the graph', () => {
	it('accepts a minimal journey', () => {
		const result = validateJourney(journey([trigger(), sms('s'), exit()], chain('t', 's', 'x')));
		expect(result).toMatchObject({ ok: true, problems: [] });
		expect(result.definition?.nodes.map((n) => n.type)).toEqual(['trigger', 'sendSms', 'exit']);
	});

	it('requires exactly one trigger', () => {
		expect(codesOf(journey([sms('s'), exit()], chain('s', 'x')))).toEqual(['missing_trigger']);
		const two = journey([trigger(), trigger({ id: 't2', label: 'Again' }), exit()], [edge('t', 'x'), edge('t2', 'x')]);
		expect(problemsOf(two, 'multiple_triggers')).toEqual([
			{
				nodeId: 't2',
				code: 'multiple_triggers',
				message: 'A journey has only one trigger; remove the trigger “Again” or merge it into the first.'
			}
		]);
	});

	it('reports duplicate node and edge ids', () => {
		const def = journey([trigger(), sms('s'), sms('s'), exit()], [...chain('t', 's', 'x'), edge('t', 's')]);
		expect(codesOf(def)).toEqual(['duplicate_node_id', 'duplicate_edge_id', 'duplicate_branch_edge']);
	});

	it('reports steps the trigger cannot reach', () => {
		const def = journey([trigger(), sms('s', { label: 'Lost' }), exit()], [edge('t', 'x'), edge('s', 'x')]);
		expect(validateJourney(def).problems).toEqual([
			{ nodeId: 's', code: 'unreachable_node', message: "The SMS step “Lost” can't be reached from the trigger." }
		]);
	});

	it('requires every output to be connected, naming the missing branch', () => {
		const def = journey([trigger(), waitForOrder, sms('s'), exit()], [edge('t', 'o'), edge('o', 's', 'event'), edge('s', 'x')]);
		expect(validateJourney(def).problems).toEqual([
			{
				nodeId: 'o',
				branch: 'timeout',
				code: 'missing_branch',
				message: 'The wait-for-event step “Order?” has no path for “Timed out”. Connect it to the next step or to an exit.'
			}
		]);
		const dead = problemsOf(journey([trigger(), sms('s')], chain('t', 's')), 'missing_branch');
		expect(dead.map((p) => p.message)).toEqual(["The SMS step “s” doesn't lead anywhere. Connect it to the next step or to an exit."]);
	});

	it('reports dangling edges: unknown source, target or output', () => {
		const def = journey(
			[trigger(), sms('s'), exit()],
			[...chain('t', 's', 'x'), edge('ghost', 'x'), { id: 'to-ghost', source: 's', target: 'ghost' }, edge('t', 's', 'yes')]
		);
		expect(codesOf(def)).toEqual(['edge_unknown_source', 'edge_unknown_target', 'duplicate_branch_edge', 'edge_unknown_handle']);
		expect(problemsOf(def, 'edge_unknown_handle')[0]?.message).toBe("A connection leaves the trigger “Signed up” from an output it doesn't have (“yes”).");
	});

	it('rejects an edge from an exit or into the trigger', () => {
		const def = journey([trigger(), wait('w'), exit()], [...chain('t', 'w', 'x'), edge('x', 'w'), edge('w', 't', 'again')]);
		expect(codesOf(def)).toEqual(['edge_from_exit', 'edge_into_trigger', 'edge_unknown_handle']);
	});

	it('rejects two edges from the same branch', () => {
		const def = journey(
			[trigger(), waitForOrder, exit()],
			[edge('t', 'o'), edge('o', 'x', 'event'), { ...edge('o', 'x', 'event'), id: 'copy' }, edge('o', 'x', 'timeout')]
		);
		expect(problemsOf(def, 'duplicate_branch_edge').map((p) => [p.edgeId, p.message])).toEqual([
			['copy', 'The wait-for-event step “Order?” has two connections from “Event happened”; keep only one.']
		]);
	});

	it('rejects a loop without a wait, but accepts one with a wait', () => {
		const split = {
			id: 'r',
			type: 'randomSplit',
			variants: [
				{ id: 'a', label: 'A', weight: 1 },
				{ id: 'b', label: 'B', weight: 1 }
			]
		};
		const nodes = [trigger(), split, sms('s'), wait('w'), exit()];
		const loop = journey(nodes, [edge('t', 'r'), edge('r', 's', 'a'), edge('s', 'r'), edge('r', 'w', 'b'), edge('w', 'x')]);
		const problems = problemsOf(loop, 'loop_without_wait');
		expect(problems.map((p) => p.nodeId)).toEqual(['r']);
		expect(problems[0]?.message).toContain('the A/B split “r”, the SMS step “s”');
		const waited = journey(nodes, [edge('t', 'r'), edge('r', 's', 'a'), edge('s', 'w'), edge('w', 'r'), edge('r', 'x', 'b')]);
		expect(validateJourney(waited).ok).toBe(true);
	});

	it('does not count a wait until a fixed date as a wait in a loop', () => {
		const until = { id: 'w', type: 'wait', mode: 'until', until: '2030-01-01T00:00:00Z' };
		const def = journey([trigger(), sms('s'), until], [edge('t', 's'), edge('s', 'w'), edge('w', 's')]);
		expect(codesOf(def)).toEqual(['loop_without_wait']);
	});

	it('returns every problem at once', () => {
		const def = journey([sms('s', { body: '' }), { id: 'q', type: 'nope' }, exit()], [edge('s', 'gone')]);
		expect(codesOf(def)).toEqual(['missing_field', 'unknown_node_type', 'missing_trigger', 'edge_unknown_target']);
	});
});
