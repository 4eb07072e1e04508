import { describe, expect, it } from 'vitest';
import { validateJourney } from '../../../../core/graph/index';
import { freshId, getIn, move, numberOrUndefined, setIn } from '../../../../web/lib/builder/panel/edit';
import { errorsAt, errorsUnder, nodeFieldErrors, settingsFieldErrors, withoutSubject } from '../../../../web/lib/builder/panel/field-errors';
import { filterValue, formatFilterValue, parseScalar, withOp } from '../../../../web/lib/builder/panel/filter-values';

describe('setIn', () => {
	it('copies along the path only, removes keys set to undefined and array items set to undefined', () => {
		const node = { id: 'w', type: 'wait', duration: { amount: 1, unit: 'days' }, other: { kept: true } };
		const next = setIn(node, ['duration', 'amount'], 3);
		expect(next).toEqual({ id: 'w', type: 'wait', duration: { amount: 3, unit: 'days' }, other: { kept: true } });
		expect(node.duration.amount).toBe(1);
		expect(next.other).toBe(node.other);
		expect(setIn(node, ['other'], undefined)).not.toHaveProperty('other');
		expect(setIn({ list: ['a', 'b', 'c'] }, ['list', 1], undefined)).toEqual({ list: ['a', 'c'] });
		expect(setIn({}, ['branches', 0, 'label'], 'Yes')).toEqual({ branches: [{ label: 'Yes' }] });
		expect(getIn(next, ['duration', 'amount'])).toBe(3);
		expect(getIn(next, ['nope', 'deeper'])).toBeUndefined();
	});

	it('moves, names and parses', () => {
		expect(move(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
		expect(move(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
		expect(freshId('b', ['a', 'b', 'b-2'])).toBe('b-3');
		expect(freshId('c', ['a'])).toBe('c');
		expect(numberOrUndefined(' ')).toBeUndefined();
		expect(numberOrUndefined('12.5')).toBe(12.5);
		expect(numberOrUndefined('x')).toBeUndefined();
	});
});

describe('filter values', () => {
	it('reads what was typed as the comparison needs it', () => {
		expect(parseScalar('true')).toBe(true);
		expect(parseScalar('null')).toBeNull();
		expect(parseScalar('42')).toBe(42);
		expect(parseScalar('4 2')).toBe('4 2');
		expect(filterValue('in', 'gold, silver, 3')).toEqual(['gold', 'silver', 3]);
		expect(filterValue('gt', '100')).toBe(100);
		expect(filterValue('lt', '2026-01-01')).toBe('2026-01-01');
		expect(filterValue('exists', 'x')).toBeUndefined();
		expect(formatFilterValue({ value: ['a', 1] })).toBe('a, 1');
	});

	it('keeps the value across a change of comparison when it still fits', () => {
		expect(withOp({ path: 'total', op: 'eq', value: '100' }, 'gt')).toEqual({ path: 'total', op: 'gt', value: 100 });
		expect(withOp({ path: 'plan', op: 'eq', value: 'gold' }, 'in')).toEqual({ path: 'plan', op: 'in', value: ['gold'] });
		expect(withOp({ kind: 'trait', path: 'plan', op: 'eq', value: 'gold' }, 'exists')).toEqual({ kind: 'trait', path: 'plan', op: 'exists' });
	});
});

describe('field errors', () => {
	it('drops the step name the journey-wide list needs', () => {
		expect(withoutSubject('The SMS step “Hi” has no message text.', 'The SMS step “Hi”')).toBe('Has no message text.');
		expect(withoutSubject('Something else.', 'The SMS step “Hi”')).toBe('Something else.');
	});

	it('merges validateJourney problems and the node schema by field path, without repeating a message', () => {
		const node = {
			id: 'split',
			type: 'randomSplit',
			label: 'Test',
			variants: [
				{ id: 'a', label: 'A', weight: 0 },
				{ id: 'a', label: '', weight: 1 }
			]
		};
		const def = {
			schemaVersion: 1,
			settings: { reentry: { mode: 'never' }, exitCriteria: [] },
			nodes: [{ id: 't', type: 'trigger', entry: { kind: 'manual' } }, node],
			edges: [{ id: 'e', source: 't', target: 'split' }]
		};
		const { problems } = validateJourney(def);
		const errors = nodeFieldErrors(node, problems);
		expect(errorsAt(errors, 'variants.0.weight')).toEqual(['Has an invalid variant weight: use a number above 0.']);
		expect(errorsAt(errors, 'variants.1.id')).toEqual(['Has two outputs named “a”; each needs its own name.']);
		expect(errorsAt(errors, 'variants.1.label')).toEqual(['Has no variant name.']);
		expect(errorsUnder(errors, 'variants.1')).toHaveLength(2);
		// Graph problems have no field: they belong to the step as a whole.
		const lonely = { id: 'w', type: 'wait', mode: 'duration', duration: { amount: 1, unit: 'days' } };
		const graph = validateJourney({ ...def, nodes: [def.nodes[0], lonely], edges: [] });
		expect(errorsAt(nodeFieldErrors(lonely, graph.problems), '')).toEqual([
			"Doesn't lead anywhere. Connect it to the next step or to an exit.",
			"Can't be reached from the trigger."
		]);
		// The schema alone (before the canvas revalidates) gives the same field errors.
		expect(errorsAt(nodeFieldErrors(node, []), 'variants.0.weight')).toEqual(errorsAt(errors, 'variants.0.weight'));
	});

	it('maps settings problems to their fields', () => {
		const settings = { reentry: { mode: 'never' }, exitCriteria: [{ event: ' ' }], quietHours: { start: '22:00', end: '22:00' } };
		const errors = settingsFieldErrors(settings, []);
		expect(errorsAt(errors, 'exitCriteria.0.event')).toEqual(['Has no exit rule event name.']);
		expect(errorsAt(errors, 'quietHours.end')).toEqual(['Has quiet hours that start and end at the same time.']);
		expect(settingsFieldErrors({ reentry: { mode: 'never' }, exitCriteria: [] }, [])).toEqual({});
	});
});
