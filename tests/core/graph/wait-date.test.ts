import { describe, expect, it } from 'vitest';
import { WaitNode } from '../../../core/graph/nodes';
import { describeNode } from '../../../core/graph/describe';
import { calendarDateOf, dateWaitInstant, waitDelayMs } from '../../../core/graph/time';
import { validateJourney } from '../../../core/graph/validate';
import { preorderReleaseJourney } from '../../../core/graph/templates/preorder-release';

const node = (over: Record<string, unknown> = {}) =>
	WaitNode.parse({ id: 'w', type: 'wait', mode: 'date', date: { source: 'event', path: 'release_date' }, time: '09:00', ...over }) as Extract<
		WaitNode,
		{ mode: 'date' }
	>;

describe('wait until a date from the customer’s data', () => {
	it('reads the calendar date as written', () => {
		expect(calendarDateOf('2026-12-05')).toEqual({ year: 2026, month: 12, day: 5 });
		expect(calendarDateOf('2026-12-05T23:30:00-08:00')).toEqual({ year: 2026, month: 12, day: 5 });
		expect(calendarDateOf(Date.UTC(2026, 11, 5, 12))).toEqual({ year: 2026, month: 12, day: 5 });
		for (const bad of ['', 'soon', '2026-02-30', '05/12/2026', null, undefined, {}, Number.NaN]) expect(calendarDateOf(bad)).toBeNull();
	});

	it('lands at the time of day in the zone, DST included, moved by whole days', () => {
		// Paris is UTC+1 in December and UTC+2 in July.
		expect(new Date(dateWaitInstant(node(), '2026-12-05', 'Europe/Paris')!).toISOString()).toBe('2026-12-05T08:00:00.000Z');
		expect(new Date(dateWaitInstant(node(), '2026-07-05', 'Europe/Paris')!).toISOString()).toBe('2026-07-05T07:00:00.000Z');
		expect(new Date(dateWaitInstant(node({ time: '18:00', offsetDays: -1 }), '2026-03-01', 'America/New_York')!).toISOString()).toBe(
			'2026-02-28T23:00:00.000Z'
		);
		expect(dateWaitInstant(node(), undefined, 'UTC')).toBeNull();
	});

	it('waits nothing for a date already past', () => {
		const now = Date.parse('2026-12-10T12:00:00Z');
		expect(waitDelayMs(node(), now, { customer: 'Europe/Paris', dateValue: '2026-12-05' })).toBe(0);
		expect(waitDelayMs(node(), now, { customer: 'Europe/Paris', dateValue: '2026-12-11' })).toBe(20 * 3600_000);
	});

	it('validates and describes', () => {
		expect(WaitNode.safeParse({ id: 'w', type: 'wait', mode: 'date', date: { source: 'event', path: ' ' }, time: '09:00' }).success).toBe(false);
		expect(WaitNode.safeParse({ id: 'w', type: 'wait', mode: 'date', date: { source: 'segment', path: 'x' }, time: '09:00' }).success).toBe(false);
		expect(WaitNode.safeParse({ id: 'w', type: 'wait', mode: 'date', date: { source: 'trait', path: 'x' }, time: '9am' }).success).toBe(false);
		expect(describeNode(node({ date: { source: 'trait', path: 'appointment_date' }, time: '18:00', offsetDays: -1 }))).toBe(
			"Waits until 18:00 in the customer's time zone on the date in the customer's “appointment_date”, 1 day before."
		);
		expect(validateJourney(preorderReleaseJourney())).toMatchObject({ ok: true });
	});
});
