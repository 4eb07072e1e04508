import { describe, expect, it } from 'vitest';
import { isValidTimeZone, localDateTime, localToUtc, zoneOffsetMs } from '../../../core/graph';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('zone offsets from Intl', () => {
	it('knows standard and summer time in Paris, New York and Auckland', () => {
		expect(zoneOffsetMs(at('2025-01-15T12:00:00Z'), 'Europe/Paris')).toBe(1 * HOUR);
		expect(zoneOffsetMs(at('2025-07-15T12:00:00Z'), 'Europe/Paris')).toBe(2 * HOUR);
		expect(zoneOffsetMs(at('2025-01-15T12:00:00Z'), 'America/New_York')).toBe(-5 * HOUR);
		expect(zoneOffsetMs(at('2025-07-15T12:00:00Z'), 'America/New_York')).toBe(-4 * HOUR);
		// Southern hemisphere: summer time in January.
		expect(zoneOffsetMs(at('2025-01-15T12:00:00Z'), 'Pacific/Auckland')).toBe(13 * HOUR);
		expect(zoneOffsetMs(at('2025-07-15T12:00:00Z'), 'Pacific/Auckland')).toBe(12 * HOUR);
	});

	it('reads the local date across the date line', () => {
		expect(localDateTime(at('2025-04-05T23:30:00Z'), 'Pacific/Auckland')).toEqual({
			year: 2025,
			month: 4,
			day: 6,
			hour: 11,
			minute: 30,
			second: 0
		});
		expect(localDateTime(at('2025-01-01T00:00:00Z'), 'UTC').hour).toBe(0);
	});

	it('tells valid zones from invalid ones', () => {
		expect(isValidTimeZone('Europe/Paris')).toBe(true);
		expect(isValidTimeZone('UTC')).toBe(true);
		expect(isValidTimeZone('Mars/Olympus')).toBe(false);
		expect(isValidTimeZone('')).toBe(false);
	});
});

describe('localToUtc', () => {
	it('round-trips ordinary wall times', () => {
		const local = { year: 2025, month: 7, day: 14, hour: 9, minute: 30, second: 0 };
		expect(localToUtc(local, 'Europe/Paris')).toBe(at('2025-07-14T07:30:00Z'));
		expect(localToUtc(local, 'Pacific/Auckland')).toBe(at('2025-07-13T21:30:00Z'));
	});

	it('moves a time skipped by spring DST forward by the gap', () => {
		const paris = { year: 2025, month: 3, day: 30, hour: 2, minute: 30, second: 0 };
		expect(localToUtc(paris, 'Europe/Paris')).toBe(at('2025-03-30T01:30:00Z')); // 03:30 CEST
		const ny = { year: 2025, month: 3, day: 9, hour: 2, minute: 30, second: 0 };
		expect(localToUtc(ny, 'America/New_York')).toBe(at('2025-03-09T07:30:00Z')); // 03:30 EDT
	});

	it('takes the first of a time repeated by autumn DST', () => {
		const ny = { year: 2025, month: 11, day: 2, hour: 1, minute: 30, second: 0 };
		expect(localToUtc(ny, 'America/New_York')).toBe(at('2025-11-02T05:30:00Z')); // 01:30 EDT
		const auckland = { year: 2025, month: 4, day: 6, hour: 2, minute: 30, second: 0 };
		expect(localToUtc(auckland, 'Pacific/Auckland')).toBe(at('2025-04-05T13:30:00Z')); // 02:30 NZDT
	});
});
