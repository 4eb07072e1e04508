import { describe, expect, it } from 'vitest';
import {
	PropertyFilter,
	TriggerNode,
	WaitForEventNode,
	getPath,
	matchesFilter,
	matchesFilters,
	triggerMatches,
	waitForEventMatches
} from '../../../core/graph';

const props = {
	plan: 'pro',
	total: 120.5,
	count: '42',
	tags: ['vip', 'newsletter', 7],
	name: 'Blue Running Shoes',
	signedUpAt: '2025-03-01T10:00:00Z',
	address: { city: 'Lyon', zip: '69001' },
	'utm.source': 'meta',
	empty: null
};
const holds = (filter: unknown) => matchesFilter(PropertyFilter.parse(filter), props);

describe('getPath', () => {
	it('reads dotted paths, array indexes and literal dotted keys, never the prototype', () => {
		expect(getPath(props, 'address.city')).toBe('Lyon');
		expect(getPath(props, 'tags.0')).toBe('vip');
		expect(getPath(props, 'utm.source')).toBe('meta');
		expect(getPath(props, 'address.country')).toBeUndefined();
		expect(getPath(props, 'constructor')).toBeUndefined();
		expect(getPath(props, 'address.__proto__')).toBeUndefined();
	});
});

describe('matchesFilter: every op', () => {
	it('eq / neq, where a number equals its decimal string', () => {
		expect(holds({ path: 'plan', op: 'eq', value: 'pro' })).toBe(true);
		expect(holds({ path: 'plan', op: 'eq', value: 'PRO' })).toBe(false);
		expect(holds({ path: 'count', op: 'eq', value: 42 })).toBe(true);
		expect(holds({ path: 'address.zip', op: 'eq', value: 69001 })).toBe(true);
		expect(holds({ path: 'empty', op: 'eq', value: null })).toBe(true);
		expect(holds({ path: 'plan', op: 'neq', value: 'free' })).toBe(true);
		expect(holds({ path: 'missing', op: 'neq', value: 'free' })).toBe(true);
		expect(holds({ path: 'missing', op: 'eq', value: 'free' })).toBe(false);
	});

	it('contains: case-insensitive substring, or array element', () => {
		expect(holds({ path: 'name', op: 'contains', value: 'running' })).toBe(true);
		expect(holds({ path: 'name', op: 'contains', value: 'red' })).toBe(false);
		expect(holds({ path: 'tags', op: 'contains', value: 'vip' })).toBe(true);
		expect(holds({ path: 'tags', op: 'contains', value: '7' })).toBe(true);
		expect(holds({ path: 'tags', op: 'contains', value: 'vi' })).toBe(false);
		expect(holds({ path: 'total', op: 'contains', value: '12' })).toBe(false);
	});

	it('lt / gt: numbers (also numeric strings) and ISO dates; anything else never matches', () => {
		expect(holds({ path: 'total', op: 'gt', value: 100 })).toBe(true);
		expect(holds({ path: 'total', op: 'lt', value: 100 })).toBe(false);
		expect(holds({ path: 'count', op: 'lt', value: '100' })).toBe(true);
		expect(holds({ path: 'signedUpAt', op: 'lt', value: '2025-03-02' })).toBe(true);
		expect(holds({ path: 'signedUpAt', op: 'gt', value: '2025-03-02' })).toBe(false);
		expect(holds({ path: 'plan', op: 'gt', value: 5 })).toBe(false);
		expect(holds({ path: 'plan', op: 'lt', value: 5 })).toBe(false);
		expect(holds({ path: 'missing', op: 'lt', value: 5 })).toBe(false);
	});

	it('exists, and exists: false for "is missing" (null counts as missing)', () => {
		expect(holds({ path: 'address.city', op: 'exists' })).toBe(true);
		expect(holds({ path: 'address.country', op: 'exists' })).toBe(false);
		expect(holds({ path: 'empty', op: 'exists' })).toBe(false);
		expect(holds({ path: 'address.country', op: 'exists', value: false })).toBe(true);
	});

	it('in: one of a list; for arrays, any element', () => {
		expect(holds({ path: 'plan', op: 'in', value: ['free', 'pro'] })).toBe(true);
		expect(holds({ path: 'plan', op: 'in', value: ['free'] })).toBe(false);
		expect(holds({ path: 'tags', op: 'in', value: ['gold', 'vip'] })).toBe(true);
		expect(holds({ path: 'missing', op: 'in', value: [null] })).toBe(false);
	});

	it('matchesFilters requires all, and none given matches anything', () => {
		const both = PropertyFilter.array().parse([
			{ path: 'plan', op: 'eq', value: 'pro' },
			{ path: 'total', op: 'gt', value: 500 }
		]);
		expect(matchesFilters(both, props)).toBe(false);
		expect(matchesFilters(both.slice(0, 1), props)).toBe(true);
		expect(matchesFilters(undefined, undefined)).toBe(true);
	});
});

describe('triggerMatches', () => {
	const byEvent = TriggerNode.parse({
		id: 't',
		type: 'trigger',
		entry: { kind: 'event', event: 'ad_clicked', filters: [{ path: 'campaign', op: 'eq', value: 'spring' }] }
	});
	const bySegment = TriggerNode.parse({ id: 't', type: 'trigger', entry: { kind: 'segment', segmentId: 'vip' } });
	const manual = TriggerNode.parse({ id: 't', type: 'trigger', entry: { kind: 'manual' } });

	it('matches events by name and filters', () => {
		expect(triggerMatches(byEvent, { kind: 'event', event: { name: 'ad_clicked', properties: { campaign: 'spring' } } })).toBe(true);
		expect(triggerMatches(byEvent, { kind: 'event', event: { name: 'ad_clicked', properties: { campaign: 'fall' } } })).toBe(false);
		expect(triggerMatches(byEvent, { kind: 'event', event: { name: 'page', properties: { campaign: 'spring' } } })).toBe(false);
		expect(triggerMatches(byEvent, { kind: 'manual' })).toBe(false);
	});

	it('matches segment entries (not leaves, by default) and manual enrolment', () => {
		expect(triggerMatches(bySegment, { kind: 'segment', segmentId: 'vip', change: 'enter' })).toBe(true);
		expect(triggerMatches(bySegment, { kind: 'segment', segmentId: 'vip', change: 'leave' })).toBe(false);
		expect(triggerMatches(bySegment, { kind: 'segment', segmentId: 'other', change: 'enter' })).toBe(false);
		expect(triggerMatches(manual, { kind: 'manual' })).toBe(true);
		expect(triggerMatches(manual, { kind: 'event', event: { name: 'x' } })).toBe(false);
	});
});

describe('waitForEventMatches', () => {
	const node = WaitForEventNode.parse({
		id: 'w',
		type: 'waitForEvent',
		event: 'order_completed',
		matchEntryProperty: 'cart_id',
		timeout: { amount: 2, unit: 'days' }
	});
	const entry = { name: 'cart_abandoned', properties: { cart_id: 'c1' } };

	it('requires the same entry property value as the entry event', () => {
		expect(waitForEventMatches(node, { name: 'order_completed', properties: { cart_id: 'c1' } }, entry)).toBe(true);
		expect(waitForEventMatches(node, { name: 'order_completed', properties: { cart_id: 'c2' } }, entry)).toBe(false);
		expect(waitForEventMatches(node, { name: 'order_completed', properties: {} }, entry)).toBe(false);
		expect(waitForEventMatches(node, { name: 'order_completed', properties: { cart_id: 'c1' } }, { name: 'x' })).toBe(false);
		expect(waitForEventMatches(node, { name: 'cart_viewed', properties: { cart_id: 'c1' } }, entry)).toBe(false);
	});
});
