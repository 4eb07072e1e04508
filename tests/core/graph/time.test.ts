import { describe, expect, it } from 'vitest';
import { WaitNode, durationToMs, nextLocalTime, resolveTimeZone, waitDelayMs } from '../../../core/graph';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('durationToMs', () => {
	it('uses fixed units', () => {
		expect(durationToMs({ amount: 90, unit: 'minutes' })).toBe(1.5 * HOUR);
		expect(durationToMs({ amount: 2, unit: 'hours' })).toBe(2 * HOUR);
		expect(durationToMs({ amount: 1, unit: 'days' })).toBe(24 * HOUR);
		expect(durationToMs({ amount: 2, unit: 'weeks' })).toBe(336 * HOUR);
	});
});

describe('nextLocalTime', () => {
	it('lands on 09:00 Paris across the spring change: 23 hours from Saturday 09:00', () => {
		const saturday9 = at('2025-03-29T08:00:00Z'); // 09:00 CET
		const sunday9 = nextLocalTime(saturday9, '09:00', 'Europe/Paris');
		expect(sunday9).toBe(at('2025-03-30T07:00:00Z')); // 09:00 CEST
		expect(sunday9 - saturday9).toBe(23 * HOUR);
	});

	it('lands on 09:00 New York across the autumn change: 25 hours from Saturday 09:00', () => {
		const saturday9 = at('2025-11-01T13:00:00Z'); // 09:00 EDT
		expect(nextLocalTime(saturday9, '09:00', 'America/New_York') - saturday9).toBe(25 * HOUR);
	});

	it('resolves a time inside the spring gap to just after it', () => {
		const saturdayEvening = at('2025-03-08T23:00:00Z'); // Saturday 18:00 EST
		expect(nextLocalTime(saturdayEvening, '02:30', 'America/New_York')).toBe(at('2025-03-09T07:30:00Z')); // 03:30 EDT
	});

	it('uses the local date and weekday across the date line (Auckland)', () => {
		const now = at('2025-04-05T10:00:00Z'); // Saturday 23:00 NZDT, UTC still says Saturday morning
		expect(nextLocalTime(now, '09:00', 'Pacific/Auckland')).toBe(at('2025-04-05T21:00:00Z')); // Sun 09:00 NZST
		// Monday 09:00 in Auckland is a Sunday in UTC.
		const monday = nextLocalTime(now, '09:00', 'Pacific/Auckland', ['mon']);
		expect(monday).toBe(at('2025-04-06T21:00:00Z'));
		expect(new Date(monday).getUTCDay()).toBe(0);
	});

	it('honours weekdays given as numbers or names, and waits a week for today’s passed time', () => {
		const wednesday10 = at('2025-06-11T08:00:00Z'); // Wed 10:00 Paris
		expect(nextLocalTime(wednesday10, '09:00', 'Europe/Paris', [3])).toBe(at('2025-06-18T07:00:00Z'));
		expect(nextLocalTime(wednesday10, '09:00', 'Europe/Paris', ['fri', 'mon'])).toBe(at('2025-06-13T07:00:00Z'));
		expect(nextLocalTime(wednesday10, '11:00', 'Europe/Paris', ['wed'])).toBe(at('2025-06-11T09:00:00Z'));
	});

	it('is strictly after now, so a loop through it always moves on', () => {
		const exactly9 = at('2025-06-11T07:00:00Z'); // 09:00 Paris
		expect(nextLocalTime(exactly9, '09:00', 'Europe/Paris')).toBe(exactly9 + 24 * HOUR);
	});
});

describe('waitDelayMs', () => {
	const now = at('2025-06-11T08:00:00Z');
	it('computes each wait mode', () => {
		expect(waitDelayMs(WaitNode.parse({ id: 'w', type: 'wait', mode: 'duration', duration: { amount: 3, unit: 'hours' } }), now)).toBe(3 * HOUR);
		const until = WaitNode.parse({ id: 'w', type: 'wait', mode: 'until', until: '2025-06-11T12:00:00+02:00' });
		expect(waitDelayMs(until, now)).toBe(2 * HOUR);
		expect(waitDelayMs(until, now + 10 * HOUR)).toBe(0);
	});

	it('uses the customer zone, else the step fallback, else the journey default, else UTC', () => {
		const local = WaitNode.parse({ id: 'w', type: 'wait', mode: 'localTime', time: '12:00', fallbackTimeZone: 'America/New_York' });
		expect(waitDelayMs(local, now, { customer: 'Europe/Paris' })).toBe(2 * HOUR);
		expect(waitDelayMs(local, now, { customer: 'Not/AZone' })).toBe(8 * HOUR); // 12:00 EDT = 16:00Z
		const bare = WaitNode.parse({ id: 'w', type: 'wait', mode: 'localTime', time: '12:00' });
		expect(waitDelayMs(bare, now, { journeyDefault: 'Europe/Paris' })).toBe(2 * HOUR);
		expect(waitDelayMs(bare, now)).toBe(4 * HOUR);
		expect(resolveTimeZone(undefined, null, 'Bad/Zone')).toBe('UTC');
	});
});
