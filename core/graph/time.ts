import type { Duration, WaitNode, Weekday } from './nodes';
import type { QuietHours } from './settings';
import { addLocalDays, isValidTimeZone, localDateTime, localToUtc, localWeekday } from './zone';

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 } as const;

/** Fixed-length units: a day is 24 hours even across a DST change. */
export function durationToMs(d: Duration): number {
	return d.amount * UNIT_MS[d.unit];
}

/** `"09:30"` → `{ hour: 9, minute: 30 }`; throws on anything else (the schema rejects it earlier). */
export function parseTimeOfDay(time: string): { hour: number; minute: number } {
	const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
	if (!m) throw new Error(`Invalid time of day: ${time}`);
	return { hour: Number(m[1]), minute: Number(m[2]) };
}

const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** 0 = Sunday … 6 = Saturday. */
export function weekdayNumber(day: Weekday): number {
	return typeof day === 'number' ? day : WEEKDAY_NAMES.indexOf(day);
}

/** The first of `candidates` that is a valid IANA zone, else `UTC`. */
export function resolveTimeZone(...candidates: (string | null | undefined)[]): string {
	return candidates.find((tz): tz is string => typeof tz === 'string' && isValidTimeZone(tz)) ?? 'UTC';
}

/**
 * The first instant strictly after `nowMs` at which the wall clock in `timeZone` reads `time`, on
 * one of `weekdays` (any day when absent or empty). Strictly after, so that a loop through a
 * local-time wait always moves on. A time skipped by a spring DST change resolves to the
 * instant the clocks jumped to plus the same minutes (02:30 → 03:30); a repeated autumn time to
 * its first occurrence.
 */
export function nextLocalTime(nowMs: number, time: string, timeZone: string, weekdays?: readonly Weekday[]): number {
	const { hour, minute } = parseTimeOfDay(time);
	const allowed = new Set((weekdays?.length ? weekdays : WEEKDAY_NAMES).map(weekdayNumber));
	const today = localDateTime(nowMs, timeZone);
	// Eight days: today's time may have passed and the only allowed weekday may be today's.
	for (let i = 0; i <= 7; i++) {
		const day = addLocalDays(today, i);
		if (!allowed.has(localWeekday(day))) continue;
		const at = localToUtc({ ...day, hour, minute, second: 0 }, timeZone);
		if (at > nowMs) return at;
	}
	throw new Error(`No ${time} in ${timeZone} on weekdays ${[...allowed].join(',')}`);
}

/**
 * How long a message must wait for quiet hours to end in `timeZone`: 0 outside them. Quiet hours
 * include `start` and exclude `end`, and may span midnight (21:00–08:00).
 */
export function quietHoursDelay(nowMs: number, quietHours: QuietHours | undefined, timeZone: string): number {
	if (!quietHours || quietHours.start === quietHours.end) return 0;
	const local = localDateTime(nowMs, timeZone);
	const minutes = (t: string) => {
		const { hour, minute } = parseTimeOfDay(t);
		return hour * 60 + minute;
	};
	const nowMin = local.hour * 60 + local.minute + local.second / 60;
	const [start, end] = [minutes(quietHours.start), minutes(quietHours.end)];
	const quiet = start < end ? nowMin >= start && nowMin < end : nowMin >= start || nowMin < end;
	return quiet ? nextLocalTime(nowMs, quietHours.end, timeZone) - nowMs : 0;
}

/** The zones a local-time wait may use, most specific first after the node's own fallback. */
export interface WaitZones {
	/** The customer's profile zone. */
	customer?: string | null;
	/** `settings.defaultTimeZone`. */
	journeyDefault?: string;
	/** For a `date` wait: the value read from the entry event or the trait it names. */
	dateValue?: unknown;
}

/**
 * How long a `wait` step holds a customer who reaches it at `nowMs`. A local-time wait uses the
 * customer's zone, else the node's `fallbackTimeZone`, else the journey's default, else UTC.
 */
export function waitDelayMs(node: WaitNode, nowMs: number, zones: WaitZones = {}): number {
	switch (node.mode) {
		case 'duration':
			return durationToMs(node.duration);
		case 'until':
			return Math.max(0, Date.parse(node.until) - nowMs);
		case 'localTime': {
			const zone = resolveTimeZone(zones.customer, node.fallbackTimeZone, zones.journeyDefault);
			return nextLocalTime(nowMs, node.time, zone, node.weekdays) - nowMs;
		}
		case 'date': {
			const at = dateWaitInstant(node, zones.dateValue, resolveTimeZone(zones.customer, node.fallbackTimeZone, zones.journeyDefault));
			return at === null ? 0 : Math.max(0, at - nowMs);
		}
	}
}

/** `2026-12-05`, the date part of an ISO timestamp as written, or an epoch-ms number (its UTC date). */
export function calendarDateOf(value: unknown): { year: number; month: number; day: number } | null {
	let text: string | null = null;
	if (typeof value === 'string') text = value.trim();
	else if (typeof value === 'number' && Number.isFinite(value)) text = new Date(value).toISOString();
	const m = text ? /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(text) : null;
	if (!m) return null;
	const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const check = new Date(Date.UTC(year, month - 1, day));
	return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? { year, month, day } : null;
}

/**
 * The instant a `date` wait ends: `node.time` in `timeZone` on the date read from `value`, moved by `offsetDays`;
 * null when `value` holds no readable date.
 */
export function dateWaitInstant(node: Extract<WaitNode, { mode: 'date' }>, value: unknown, timeZone: string): number | null {
	const date = calendarDateOf(value);
	if (!date) return null;
	const { hour, minute } = parseTimeOfDay(node.time);
	const day = addLocalDays({ ...date, hour, minute, second: 0 }, node.offsetDays ?? 0);
	return localToUtc(day, timeZone);
}
