import { describe, expect, it } from 'vitest';
import { Condition, ConditionNode, ELSE_BRANCH, conditionNeeds, evaluateCondition, pickConditionBranch, type ConditionContext } from '../../../core/graph';

const DAY = 86_400_000;
const now = Date.parse('2025-06-15T12:00:00Z');
const ctx: ConditionContext = {
	now,
	traits: { plan: 'pro', address: { city: 'Lyon' }, orders: 3 },
	entryEvent: { name: 'cart_abandoned', properties: { cart_total: 180 } },
	consent: { email: true, sms: false },
	offers: {
		redeemed: { status: 'redeemed' },
		live: { status: 'active', expiresAt: now + DAY },
		lapsed: { status: 'active', expiresAt: now - 1 },
		revoked: { status: 'revoked' }
	},
	messages: { mail: { delivered: true, opened: true }, clickOnly: { clicked: true }, bounced: {} },
	events: [
		{ name: 'product_viewed', properties: { sku: 'A1' }, timestamp: now - 2 * DAY },
		{ name: 'order_completed', timestamp: now - 40 * DAY }
	]
};
const holds = (condition: unknown) => evaluateCondition(Condition.parse(condition), ctx);

describe('evaluateCondition: every kind', () => {
	it('trait, with dotted paths', () => {
		expect(holds({ kind: 'trait', path: 'address.city', op: 'eq', value: 'Lyon' })).toBe(true);
		expect(holds({ kind: 'trait', path: 'orders', op: 'gt', value: 5 })).toBe(false);
	});

	it('entry-event property', () => {
		expect(holds({ kind: 'entryProperty', path: 'cart_total', op: 'gt', value: 100 })).toBe(true);
		expect(evaluateCondition(Condition.parse({ kind: 'entryProperty', path: 'cart_total', op: 'exists' }), { ...ctx, entryEvent: undefined })).toBe(false);
	});

	it('consent, where nothing recorded means not granted', () => {
		expect(holds({ kind: 'consent', channel: 'email', granted: true })).toBe(true);
		expect(holds({ kind: 'consent', channel: 'sms', granted: true })).toBe(false);
		expect(holds({ kind: 'consent', channel: 'ads', granted: false })).toBe(true);
	});

	it('offer state, where an active offer past its end counts as expired', () => {
		expect(holds({ kind: 'offer', nodeId: 'redeemed', state: 'redeemed' })).toBe(true);
		expect(holds({ kind: 'offer', nodeId: 'live', state: 'active' })).toBe(true);
		expect(holds({ kind: 'offer', nodeId: 'lapsed', state: 'active' })).toBe(false);
		expect(holds({ kind: 'offer', nodeId: 'lapsed', state: 'expired' })).toBe(true);
		expect(holds({ kind: 'offer', nodeId: 'revoked', state: 'expired' })).toBe(false);
		expect(holds({ kind: 'offer', nodeId: 'never-granted', state: 'active' })).toBe(false);
	});

	it('message engagement, where a click implies an open and an open a delivery', () => {
		expect(holds({ kind: 'message', nodeId: 'mail', status: 'opened' })).toBe(true);
		expect(holds({ kind: 'message', nodeId: 'mail', status: 'clicked' })).toBe(false);
		expect(holds({ kind: 'message', nodeId: 'clickOnly', status: 'delivered' })).toBe(true);
		expect(holds({ kind: 'message', nodeId: 'bounced', status: 'delivered' })).toBe(false);
		expect(holds({ kind: 'message', nodeId: 'unsent', status: 'delivered' })).toBe(false);
	});

	it('event occurred, within a window, with filters, or did not occur', () => {
		expect(holds({ kind: 'event', event: 'product_viewed', within: { amount: 3, unit: 'days' } })).toBe(true);
		expect(holds({ kind: 'event', event: 'product_viewed', within: { amount: 1, unit: 'days' } })).toBe(false);
		expect(holds({ kind: 'event', event: 'product_viewed', filters: [{ path: 'sku', op: 'eq', value: 'B2' }] })).toBe(false);
		expect(holds({ kind: 'event', event: 'order_completed' })).toBe(true);
		expect(holds({ kind: 'event', event: 'order_completed', within: { amount: 30, unit: 'days' }, occurred: false })).toBe(true);
	});
});

describe('pickConditionBranch', () => {
	const node = ConditionNode.parse({
		id: 'c',
		type: 'condition',
		branches: [
			{
				id: 'vip-sms',
				label: 'VIP reachable by SMS',
				match: 'all',
				conditions: [
					{ kind: 'trait', path: 'plan', op: 'eq', value: 'pro' },
					{ kind: 'consent', channel: 'sms', granted: true }
				]
			},
			{
				id: 'engaged',
				label: 'Engaged',
				match: 'any',
				conditions: [
					{ kind: 'message', nodeId: 'mail', status: 'clicked' },
					{ kind: 'event', event: 'product_viewed', within: { amount: 7, unit: 'days' } }
				]
			}
		]
	});

	it('takes the first branch that matches, in order, else "else"', () => {
		expect(pickConditionBranch(node, ctx)).toBe('engaged');
		expect(pickConditionBranch(node, { ...ctx, consent: { sms: true } })).toBe('vip-sms');
		expect(pickConditionBranch(node, { ...ctx, events: [], messages: {} })).toBe(ELSE_BRANCH);
	});

	it('tells the activity exactly what to load', () => {
		expect(conditionNeeds(node)).toEqual({
			eventNames: ['product_viewed'],
			eventLookbackMs: 7 * DAY,
			offerNodeIds: [],
			messageNodeIds: ['mail']
		});
	});
});
