import { describe, expect, it } from 'vitest';
import { applyConsent, consentFromEvent, consentFromTraits, mergeConsent } from '../../../core/identity/consent';
import { chooseMergeGroup } from '../../../core/identity/group';
import { addMoney, eventKey, orderTotal } from '../../../core/identity/money';
import { applyProfileInput, mergeProfiles, type ProfileFields } from '../../../core/identity/profile';
import { applyTraits, mergeTraits } from '../../../core/identity/traits';
import { unmergeProfile } from '../../../core/identity/unmerge';

const t = (iso: string) => new Date(iso);

describe('traits with set times', () => {
	it('a late event never overwrites a newer value, but sets traits it has not seen', () => {
		const first = applyTraits({ traits: {}, traitTimes: {} }, { plan: 'pro' }, t('2025-01-02T00:00:00Z'));
		const late = applyTraits(first, { plan: 'free', city: 'Lyon' }, t('2025-01-01T00:00:00Z'));
		expect(late.traits).toEqual({ plan: 'pro', city: 'Lyon' });
		expect(late.traitTimes).toEqual({ plan: '2025-01-02T00:00:00.000Z', city: '2025-01-01T00:00:00.000Z' });
	});
	it('keeps consent out of traits, and null is a value', () => {
		const set = applyTraits({ traits: { plan: 'pro' }, traitTimes: {} }, { consent: { email: true }, plan: null }, t('2025-01-01T00:00:00Z'));
		expect(set.traits).toEqual({ plan: null });
	});
	it('merges per trait by time, the survivor on ties', () => {
		const a = { traits: { plan: 'pro', city: 'Lyon' }, traitTimes: { plan: '2025-01-02T00:00:00.000Z', city: '2025-01-01T00:00:00.000Z' } };
		const b = {
			traits: { plan: 'free', city: 'Paris', age: 30 },
			traitTimes: { plan: '2025-01-01T00:00:00.000Z', city: '2025-01-03T00:00:00.000Z', age: '2025-01-01T00:00:00.000Z' }
		};
		expect(mergeTraits(a, b).traits).toEqual({ plan: 'pro', city: 'Paris', age: 30 });
	});
});

describe('consent', () => {
	it('reads identify traits, booleans or objects with a source', () => {
		expect(consentFromTraits({ consent: { email: true, sms: { granted: false, source: 'store' }, fax: true, ads: 'yes' } }, 'identify')).toEqual([
			{ channel: 'email', granted: true, source: 'identify' },
			{ channel: 'sms', granted: false, source: 'store' }
		]);
	});
	it('reads consent_granted / consent_revoked events', () => {
		expect(consentFromEvent('consent_revoked', { channels: ['sms', 'email', 'sms', 'x'], source: 'preference center' }, 'track')).toEqual([
			{ channel: 'sms', granted: false, source: 'preference center' },
			{ channel: 'email', granted: false, source: 'preference center' }
		]);
		expect(consentFromEvent('product_viewed', { channel: 'email' }, 'track')).toEqual([]);
	});
	it('the newer answer wins, whatever the arrival order', () => {
		const granted = applyConsent({}, [{ channel: 'email', granted: true, source: 'web' }], t('2025-01-02T00:00:00Z'));
		const lateRevoke = applyConsent(granted, [{ channel: 'email', granted: false, source: 'old' }], t('2025-01-01T00:00:00Z'));
		expect(lateRevoke.email).toMatchObject({ granted: true, source: 'web' });
		const older = { email: { granted: false, source: 'a', at: '2025-01-01T00:00:00.000Z' } };
		expect(mergeConsent(older, granted).email?.granted).toBe(true);
	});
});

describe('orders and money', () => {
	it('takes total, else revenue, ignoring absurd values', () => {
		expect(orderTotal({ total: 42.5 })).toBe(42.5);
		expect(orderTotal({ revenue: '19.90' })).toBe(19.9);
		expect(orderTotal({ total: -5 })).toBe(0);
		expect(orderTotal({ total: 1e20 })).toBe(0);
		expect(orderTotal({ total: 'abc' })).toBe(0);
	});
	it('adds in cents and saturates at the column maximum', () => {
		expect(addMoney('0.10', 0.2)).toBe('0.30');
		expect(addMoney('999999999999.00', 5)).toBe('999999999999.99');
		expect(addMoney('1.00', -5)).toBe('0.00');
	});
	it('matches event names loosely', () => {
		expect(eventKey('Order Completed')).toBe('order_completed');
		expect(eventKey('order-completed')).toBe('order_completed');
	});
});

describe('chooseMergeGroup', () => {
	const c = (id: string, day: number, userIds: string[] = []) => ({ id, firstSeenAt: t(`2025-01-0${day}T00:00:00Z`), userIds });
	it('puts the oldest first', () => {
		expect(chooseMergeGroup([c('b', 2), c('a', 3), c('c', 1)], undefined)).toEqual(['c', 'b', 'a']);
	});
	it('keeps apart a profile signed in as someone else (shared browser)', () => {
		expect(chooseMergeGroup([c('anna', 1, ['u-anna'])], 'u-bob')).toEqual([]);
		expect(chooseMergeGroup([c('anna', 1, ['u-anna']), c('bob', 2, ['u-bob']), c('anon', 3)], undefined)).toEqual(['anna', 'anon']);
	});
	it('alias forces the merge', () => {
		expect(chooseMergeGroup([c('old', 1, ['u-old']), c('new', 2, ['u-new'])], 'u-new', true)).toEqual(['old', 'new']);
	});
});

const profile = (over: Partial<ProfileFields> = {}): ProfileFields => ({
	traits: {},
	traitTimes: {},
	consent: {},
	timezone: null,
	firstSeenAt: t('2025-01-01T00:00:00Z'),
	lastSeenAt: t('2025-01-01T00:00:00Z'),
	ordersCount: 0,
	lifetimeValue: '0.00',
	...over
});

describe('profile updates', () => {
	it('an explicit timezone trait wins over the device zone', () => {
		const p1 = applyProfileInput(profile(), { at: t('2025-01-02T00:00:00Z'), consent: [], deviceTimezone: 'America/New_York' });
		expect(p1.timezone).toBe('America/New_York');
		const p2 = applyProfileInput(p1, { at: t('2025-01-03T00:00:00Z'), consent: [], traits: { timezone: 'Europe/Paris' } });
		const p3 = applyProfileInput(p2, { at: t('2025-01-04T00:00:00Z'), consent: [], deviceTimezone: 'Asia/Tokyo' });
		expect([p2.timezone, p3.timezone]).toEqual(['Europe/Paris', 'Europe/Paris']);
	});
	it('counts orders and widens first/last seen', () => {
		const p = applyProfileInput(profile(), { at: t('2024-12-31T00:00:00Z'), consent: [], order: { total: 10 } });
		expect(p).toMatchObject({ ordersCount: 1, lifetimeValue: '10.00', firstSeenAt: t('2024-12-31T00:00:00Z') });
	});
	it('unmerge takes back only what the loser brought and is still there', () => {
		const before = profile({ traits: { name: 'Ada' }, traitTimes: { name: '2025-01-01T00:00:00.000Z' }, ordersCount: 1, lifetimeValue: '5.00' });
		const loser = profile({
			traits: { phone: '+1', name: 'A.' },
			traitTimes: { phone: '2025-01-05T00:00:00.000Z', name: '2025-01-06T00:00:00.000Z' },
			consent: { sms: { granted: true, source: 'store', at: '2025-01-05T00:00:00.000Z' } },
			lastSeenAt: t('2025-01-06T00:00:00Z'),
			ordersCount: 2,
			lifetimeValue: '30.00'
		});
		const merged = mergeProfiles(before, loser);
		expect(merged).toMatchObject({ traits: { name: 'A.', phone: '+1' }, ordersCount: 3, lifetimeValue: '35.00' });
		// After the merge the survivor learned a newer phone itself: that one stays.
		const since = applyProfileInput(merged, { at: t('2025-01-07T00:00:00Z'), consent: [], traits: { phone: '+2' } });
		const undone = unmergeProfile(since, before, loser);
		expect(undone.traits).toEqual({ name: 'Ada', phone: '+2' });
		expect(undone.consent).toEqual({});
		expect(undone).toMatchObject({ ordersCount: 1, lifetimeValue: '5.00', lastSeenAt: t('2025-01-07T00:00:00Z') });
	});
});
