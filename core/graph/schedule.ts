import type { ScheduleEntry, Weekday } from './nodes';
import type { JourneySettings } from './settings';
import { addLocalDays, localDateTime, localToUtc, localWeekday, type LocalDateTime } from './zone';

/**
 * Scheduled entry's calendar, pure: which local dates a schedule runs on, when each run starts, and when a customer
 * in a given zone enters for it. The Temporal Schedule (core/scheduling) fires at the same instants; the run
 * workflow and the builder's "next runs" read them from here.
 *
 * "At 09:00 in each customer's zone": one run per local date, started when that date's 09:00 first arrives on
 * Earth (UTC+14); the run then enters each zone's members as their own 09:00 arrives, up to 26 hours later.
 */
export const EARLIEST_ZONE = 'Etc/GMT-14';

export type LocalDate = Pick<LocalDateTime, 'year' | 'month' | 'day'>;

/** One run: the local date it is for and the instant it starts (in the schedule's clock zone). */
export type ScheduledRun = { date: string; at: number };

const WEEKDAY_NUMBERS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function weekdayNumber(day: Weekday): number {
	return typeof day === 'number' ? day : (WEEKDAY_NUMBERS[day] ?? 0);
}

/** The journey's zone for this schedule: its own, else the journey's default, else UTC. */
export function scheduleTimeZone(entry: Pick<ScheduleEntry, 'timeZone'>, settings: Pick<JourneySettings, 'defaultTimeZone'>): string {
	return entry.timeZone ?? settings.defaultTimeZone ?? 'UTC';
}

/** The zone whose wall clock the schedule itself follows. */
export function scheduleClockZone(entry: Pick<ScheduleEntry, 'timeZone' | 'timeIn'>, settings: Pick<JourneySettings, 'defaultTimeZone'>): string {
	return entry.timeIn === 'customer' ? EARLIEST_ZONE : scheduleTimeZone(entry, settings);
}

export function formatLocalDate(d: LocalDate): string {
	return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

export function parseLocalDate(s: string): LocalDate {
	const [year, month, day] = s.split('-').map(Number);
	return { year: year ?? 1970, month: month ?? 1, day: day ?? 1 };
}

function timeParts(time: string): { hour: number; minute: number } {
	const [hour, minute] = time.split(':').map(Number);
	return { hour: hour ?? 0, minute: minute ?? 0 };
}

/** Whether the schedule runs on this local date. */
export function runsOn(entry: ScheduleEntry, date: LocalDate): boolean {
	const full = { ...date, hour: 0, minute: 0, second: 0 };
	switch (entry.repeat) {
		case 'once':
			return entry.date === formatLocalDate(date);
		case 'daily':
			return true;
		case 'weekly':
			return (entry.weekdays ?? []).some((w) => weekdayNumber(w) === localWeekday(full));
		case 'monthly':
			return entry.dayOfMonth === date.day;
	}
}

/** When `time` on `date` arrives in `zone` (DST gaps move forward, repeated times take the first). */
export function entryInstant(entry: Pick<ScheduleEntry, 'time'>, date: LocalDate, zone: string): number {
	return localToUtc({ ...date, ...timeParts(entry.time), second: 0 }, zone);
}

/** The local date a run is for, from the instant it started (its nominal time). */
export function runDateOf(entry: ScheduleEntry, settings: Pick<JourneySettings, 'defaultTimeZone'>, nominalMs: number): LocalDate {
	const t = localDateTime(nominalMs, scheduleClockZone(entry, settings));
	return { year: t.year, month: t.month, day: t.day };
}

/** The next `count` runs strictly after `afterMs` (a one-off date in the past has none). */
export function nextScheduledRuns(entry: ScheduleEntry, settings: Pick<JourneySettings, 'defaultTimeZone'>, afterMs: number, count = 3): ScheduledRun[] {
	const zone = scheduleClockZone(entry, settings);
	const start = localDateTime(afterMs, zone);
	const runs: ScheduledRun[] = [];
	// Two years covers any monthly day (31st) and any one-off date a marketer picks for the near future.
	for (let i = 0; i < 800 && runs.length < count; i++) {
		const d = addLocalDays(start, i);
		if (!runsOn(entry, d)) continue;
		const at = entryInstant(entry, d, zone);
		if (at > afterMs) runs.push({ date: formatLocalDate(d), at });
	}
	return runs;
}

/** Shortest time between two runs: a missed run is caught up within it, so a long outage never runs two. */
export function shortestGapMs(entry: ScheduleEntry): number {
	const day = 86_400_000;
	if (entry.repeat === 'daily') return day;
	if (entry.repeat === 'monthly') return 28 * day;
	if (entry.repeat === 'once') return day;
	const days = [...new Set((entry.weekdays ?? []).map(weekdayNumber))].sort((a, b) => a - b);
	if (days.length <= 1) return 7 * day;
	const gaps = days.map((d, i) => ((days[(i + 1) % days.length] ?? d) - d + 7) % 7 || 7);
	return Math.min(...gaps) * day;
}

function list(words: string[]): string {
	return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** "Every Monday and Thursday at 09:00, each customer’s time". */
export function describeSchedule(entry: ScheduleEntry): string {
	const when =
		entry.repeat === 'once'
			? `Once on ${entry.date ?? '…'}`
			: entry.repeat === 'daily'
				? 'Every day'
				: entry.repeat === 'weekly'
					? `Every ${list([...new Set((entry.weekdays ?? []).map(weekdayNumber))].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((d) => WEEKDAY_NAMES[d]!))}`
					: `Monthly on day ${entry.dayOfMonth ?? '…'}`;
	const zone = entry.timeIn === 'customer' ? ', each customer’s time' : entry.timeZone ? ` ${entry.timeZone}` : '';
	return `${when} at ${entry.time}${zone}`;
}

/** "Mon 7 Dec 2026 09:00" as the wall clock of `zone` shows `ms`. */
export function formatRunTime(ms: number, zone: string): string {
	const t = localDateTime(ms, zone);
	const weekday = WEEKDAY_NAMES[localWeekday(t)]!.slice(0, 3);
	const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][t.month - 1];
	return `${weekday} ${t.day} ${month} ${t.year} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}
