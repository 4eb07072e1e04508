import { describe, expect, it } from 'vitest';
import { validateJourney } from '../../../core/graph';
import { chain, codesOf, edge, exit, journey, problemsOf, sms, trigger, type Raw } from './fixtures';

const offer = { id: 'o', type: 'grantOffer', title: '10% off', kind: 'percent', value: 10, validFor: { amount: 7, unit: 'days' } };
const email = { id: 'e', type: 'sendEmail', label: 'Welcome', templateId: 'welcome' };

function conditionOn(...conditions: Raw[]) {
	return { id: 'c', type: 'condition', label: 'Check', branches: [{ id: 'yes', label: 'Yes', match: 'all', conditions }] };
}

/** trigger → offer → email → sms → condition(yes|else) → exit */
function withCondition(condition: Raw, entry: Raw = { kind: 'event', event: 'signed_up' }) {
	const nodes = [trigger({ entry }), offer, email, sms('s'), condition, exit()];
	return journey(nodes, [...chain('t', 'o', 'e', 's', 'c'), edge('c', 'x', 'yes'), edge('c', 'x', 'else')]);
}

describe('validateJourney: references', () => {
	it('accepts conditions on an offer step, a message step and the entry event', () => {
		const cond = conditionOn(
			{ kind: 'offer', nodeId: 'o', state: 'redeemed' },
			{ kind: 'message', nodeId: 'e', status: 'opened' },
			{ kind: 'message', nodeId: 's', status: 'clicked' },
			{ kind: 'entryProperty', path: 'plan', op: 'eq', value: 'pro' }
		);
		expect(validateJourney(withCondition(cond)).problems).toEqual([]);
	});

	it('reports a condition on a step that is missing or of the wrong kind', () => {
		const cond = conditionOn({ kind: 'offer', nodeId: 'e', state: 'active' }, { kind: 'message', nodeId: 'gone', status: 'delivered' });
		expect(problemsOf(withCondition(cond), 'invalid_reference').map((p) => [p.field, p.message])).toEqual([
			['branches.0.conditions.0.nodeId', "The condition “Check” refers to an offer step that it can't find (“e” is not an offer step)."],
			['branches.0.conditions.1.nodeId', "The condition “Check” refers to a message step that it can't find (“gone” doesn't exist)."]
		]);
	});

	it('reports an SMS "opened" check, which cannot be tracked', () => {
		const cond = conditionOn({ kind: 'message', nodeId: 's', status: 'opened' });
		expect(codesOf(withCondition(cond))).toEqual(['untrackable_engagement']);
	});

	it('reports entry-event properties in a journey that does not start from an event', () => {
		const cond = conditionOn({ kind: 'entryProperty', path: 'cart_id', op: 'exists' });
		expect(codesOf(withCondition(cond, { kind: 'manual' }))).toEqual(['entry_property_unavailable']);
		const waitFor = { id: 'w', type: 'waitForEvent', event: 'order_completed', matchEntryProperty: 'cart_id', timeout: { amount: 1, unit: 'days' } };
		const def = journey(
			[trigger({ entry: { kind: 'segment', segmentId: 'vip' } }), waitFor, exit()],
			[edge('t', 'w'), edge('w', 'x', 'event'), edge('w', 'x', 'timeout')]
		);
		expect(codesOf(def)).toEqual(['entry_property_unavailable']);
	});

	it('reports a store task pointing at a step that is not an offer', () => {
		const task = { id: 'k', type: 'storeTask', title: 'Welcome', instructions: 'Apply it', store: { kind: 'preferred' }, offerNodeId: 's' };
		const def = journey([trigger(), sms('s'), task, exit()], chain('t', 's', 'k', 'x'));
		expect(problemsOf(def, 'invalid_reference').map((p) => [p.nodeId, p.field])).toEqual([['k', 'offerNodeId']]);
	});

	it('checks template and segment ids only against the lists given', () => {
		const def = journey([trigger({ entry: { kind: 'segment', segmentId: 'vip' } }), email, exit()], chain('t', 'e', 'x'));
		expect(codesOf(def)).toEqual([]);
		expect(codesOf(def, { templateIds: ['welcome'], segmentIds: ['vip'] })).toEqual([]);
		expect(validateJourney(def, { templateIds: ['other'], segmentIds: [] }).problems).toEqual([
			{ nodeId: 't', field: 'entry.segmentId', code: 'unknown_segment', message: "The trigger “Signed up” uses a segment that doesn't exist (“vip”)." },
			{ nodeId: 'e', field: 'templateId', code: 'unknown_template', message: "The email step “Welcome” uses an email template that doesn't exist (“welcome”)." }
		]);
	});
});
