import { describe, expect, it } from 'vitest';
import { validateJourney } from '../../../core/graph';
import { chain, codesOf, edge, exit, journey, problemsOf, sms, trigger, type Raw } from './fixtures';

/** A journey trigger → `node` → exit, so only the node's own problems show. */
const around = (node: Raw, settings: Raw = {}) => journey([trigger(), node, exit()], chain('t', String(node.id), 'x'), settings);

describe('validateJourney: the document', () => {
	it('rejects what is not a journey at all', () => {
		expect(validateJourney('nope')).toEqual({
			ok: false,
			problems: [{ code: 'invalid_definition', message: 'This is not a journey definition.' }]
		});
		expect(codesOf({ schemaVersion: 1, settings: { reentry: { mode: 'never' }, exitCriteria: [] } })).toEqual([
			'invalid_definition',
			'invalid_definition',
			'missing_trigger'
		]);
	});

	it('refuses an unknown schema version and missing settings, without a definition', () => {
		const result = validateJourney({ ...around(sms('s')), schemaVersion: 2, settings: undefined });
		expect(result.problems.map((p) => p.code)).toEqual(['unsupported_schema_version', 'missing_field']);
		expect(result.problems[1]?.message).toBe('The journey has no settings.');
		expect(result.definition).toBeUndefined();
	});
});

describe('validateJourney: fields of a step, in words a marketer understands', () => {
	it('names the SMS step with no text', () => {
		const [problem] = validateJourney(around(sms('s', { label: 'Reminder', body: '  ' }))).problems;
		expect(problem).toEqual({
			nodeId: 's',
			field: 'body',
			code: 'missing_field',
			message: 'The SMS step “Reminder” has no message text.'
		});
	});

	it('reports an unknown kind of step and still checks the rest of the graph', () => {
		const result = validateJourney(around({ id: 's', type: 'teleport' }));
		expect(result.problems).toEqual([{ nodeId: 's', field: 'type', code: 'unknown_node_type', message: 'The step “s” has an unknown kind (“teleport”).' }]);
		expect(result.definition).toBeUndefined();
	});

	it.each([
		['a time of day that is not HH:mm', { id: 'w', type: 'wait', mode: 'localTime', time: '9:75' }, 'invalid_time_of_day', 'time'],
		[
			'an unknown time zone',
			{ id: 'w', type: 'wait', mode: 'localTime', time: '09:00', fallbackTimeZone: 'Mars/Olympus' },
			'invalid_time_zone',
			'fallbackTimeZone'
		],
		['a date without its zone', { id: 'w', type: 'wait', mode: 'until', until: '2030-01-01T10:00' }, 'invalid_field', 'until'],
		['an unknown wait mode', { id: 'w', type: 'wait', mode: 'forever' }, 'invalid_field', 'mode'],
		['a zero weight', { id: 'w', type: 'randomSplit', variants: [{ id: 'a', label: 'A', weight: 0 }] }, 'invalid_split_weight', 'variants.0.weight'],
		['a negative weight', { id: 'w', type: 'randomSplit', variants: [{ id: 'a', label: 'A', weight: -1 }] }, 'invalid_split_weight', 'variants.0.weight'],
		[
			'a 100% holdout',
			{ id: 'w', type: 'randomSplit', variants: [{ id: 'a', label: 'A', weight: 1 }], holdoutPercent: 100 },
			'invalid_holdout',
			'holdoutPercent'
		],
		['a webhook to ftp', { id: 'w', type: 'webhook', url: 'ftp://example.com' }, 'invalid_field', 'url'],
		[
			'an offer over 100%',
			{ id: 'w', type: 'grantOffer', title: 'T', kind: 'percent', value: 120, validFor: { amount: 1, unit: 'days' } },
			'invalid_field',
			'value'
		],
		[
			'an amount offer with no currency',
			{ id: 'w', type: 'grantOffer', title: 'T', kind: 'amount', value: 5, validFor: { amount: 1, unit: 'days' } },
			'missing_field',
			'currency'
		],
		['an email with no content', { id: 'w', type: 'sendEmail', subject: 'Hi' }, 'missing_field', 'html'],
		['an email with template and content', { id: 'w', type: 'sendEmail', templateId: 'welcome', subject: 'Hi' }, 'conflicting_content', 'templateId'],
		['a profile update that changes nothing', { id: 'w', type: 'updateProfile', set: {} }, 'missing_field', 'set'],
		['an ad audience with no audience', { id: 'w', type: 'adAudience', provider: 'meta', action: 'add' }, 'missing_field', 'audienceId'],
		['a store task with no instructions', { id: 'w', type: 'storeTask', title: 'Call', store: { kind: 'preferred' } }, 'missing_field', 'instructions']
	])('reports %s', (_what, node, code, field) => {
		const problems = validateJourney(around(node)).problems;
		expect(problems.map((p) => [p.code, p.field, p.nodeId])).toEqual([[code, field, 'w']]);
		expect(problems[0]?.message).toMatch(/^The .+ “w” (has|gives|uses) /);
	});

	it('names the list item in the message', () => {
		const node = { id: 'w', type: 'randomSplit', label: 'Subject test', variants: [{ id: 'a', label: 'A', weight: 0 }] };
		expect(validateJourney(around(node)).problems[0]?.message).toBe('The A/B split “Subject test” has an invalid variant weight: use a number above 0.');
	});

	it('reports duplicate and reserved output names of a condition and a split', () => {
		const cond = { kind: 'consent', channel: 'sms', granted: true };
		const condition = {
			id: 'c',
			type: 'condition',
			branches: [
				{ id: 'else', label: 'Else', match: 'all', conditions: [cond] },
				{ id: 'b', label: 'B', match: 'all', conditions: [cond] },
				{ id: 'b', label: 'B again', match: 'any', conditions: [cond] }
			]
		};
		const split = { id: 's', type: 'randomSplit', variants: [{ id: 'holdout', label: 'H', weight: 1 }] };
		const def = journey([trigger(), condition, split, exit()], [edge('t', 'c'), edge('c', 's', 'b'), edge('c', 'x', 'else')]);
		expect(codesOf(def).slice(0, 3)).toEqual(['reserved_branch_id', 'duplicate_branch_id', 'reserved_branch_id']);
	});
});

describe('validateJourney: settings and edges', () => {
	it('reports bad quiet hours, entry window and time zone under “The journey”', () => {
		const settings = {
			quietHours: { start: '21:00', end: '21:00' },
			entryWindow: { start: '2030-02-01T00:00:00Z', end: '2030-01-01T00:00:00Z' },
			defaultTimeZone: 'Nowhere/Land'
		};
		const problems = validateJourney(around(sms('s'), settings)).problems;
		expect(problems.map((p) => [p.code, p.field])).toEqual([
			['invalid_entry_window', 'entryWindow.end'],
			['invalid_time_of_day', 'quietHours.end'],
			['invalid_time_zone', 'defaultTimeZone']
		]);
		expect(problems.every((p) => p.message.startsWith('The journey '))).toBe(true);
	});

	it('reports an incomplete edge by its id', () => {
		const def = journey([trigger(), exit()], [edge('t', 'x'), { id: 'e2', source: 't' }]);
		expect(problemsOf(def, 'missing_field')).toEqual([
			{ edgeId: 'e2', field: 'target', code: 'missing_field', message: 'The connection “e2” has no destination step.' }
		]);
	});
});
