import { describe, expect, it } from 'vitest';
import { quietHoursDelay } from '../../../core/graph';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);
const night = { start: '21:00', end: '08:00' };

describe('quietHoursDelay', () => {
	it('is 0 outside quiet hours or without them', () => {
		expect(quietHoursDelay(at('2025-06-11T10:00:00Z'), night, 'Europe/Paris')).toBe(0); // 12:00
		expect(quietHoursDelay(at('2025-06-11T22:00:00Z'), undefined, 'Europe/Paris')).toBe(0);
	});

	it('includes the start and excludes the end', () => {
		expect(quietHoursDelay(at('2025-06-11T19:00:00Z'), night, 'Europe/Paris')).toBe(11 * HOUR); // 21:00 sharp
		expect(quietHoursDelay(at('2025-06-11T06:00:00Z'), night, 'Europe/Paris')).toBe(0); // 08:00 sharp
		expect(quietHoursDelay(at('2025-06-11T05:59:30Z'), night, 'Europe/Paris')).toBe(30_000); // 07:59:30
	});

	it('spans midnight, before and after it', () => {
		expect(quietHoursDelay(at('2025-06-11T21:30:00Z'), night, 'Europe/Paris')).toBe(8.5 * HOUR); // 23:30
		expect(quietHoursDelay(at('2025-06-11T01:15:00Z'), night, 'Europe/Paris')).toBe(4 * HOUR + 45 * MINUTE); // 03:15 CEST
	});

	it('waits one hour less on the night clocks go forward (Paris)', () => {
		const saturday2230 = at('2025-03-29T21:30:00Z'); // 22:30 CET
		expect(quietHoursDelay(saturday2230, night, 'Europe/Paris')).toBe(8.5 * HOUR); // 9.5 h on the wall clock
	});

	it('waits one hour more on the night clocks go back (New York)', () => {
		const saturday2230 = at('2025-11-02T02:30:00Z'); // 22:30 EDT
		expect(quietHoursDelay(saturday2230, night, 'America/New_York')).toBe(10.5 * HOUR);
	});

	it('uses the customer zone: the same instant is quiet in Auckland but not in Paris', () => {
		const instant = at('2025-01-10T09:00:00Z'); // 22:00 NZDT, 10:00 CET
		expect(quietHoursDelay(instant, night, 'Pacific/Auckland')).toBe(10 * HOUR);
		expect(quietHoursDelay(instant, night, 'Europe/Paris')).toBe(0);
	});

	it('handles a daytime window that does not span midnight', () => {
		const lunch = { start: '12:00', end: '14:00' };
		expect(quietHoursDelay(at('2025-06-11T16:30:00Z'), lunch, 'America/New_York')).toBe(90 * MINUTE); // 12:30 EDT
		expect(quietHoursDelay(at('2025-06-11T19:00:00Z'), lunch, 'America/New_York')).toBe(0); // 15:00 EDT
	});
});
