/**
 * Time-zone arithmetic on top of `Intl.DateTimeFormat` only: it is built into V8 (and so into
 * Temporal's workflow sandbox) and carries the IANA database, so no date library is needed.
 * Everything here is a pure function of its arguments.
 */

export interface LocalDateTime {
	year: number;
	/** 1–12 */
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

// Building a formatter is costly; they are immutable, so one per zone is safe to share.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		});
		formatters.set(timeZone, f);
	}
	return f;
}

export function isValidTimeZone(timeZone: string): boolean {
	try {
		formatter(timeZone);
		return true;
	} catch {
		return false;
	}
}

/** The wall-clock date and time in `timeZone` at the instant `utcMs`. */
export function localDateTime(utcMs: number, timeZone: string): LocalDateTime {
	const parts: Record<string, number> = {};
	for (const p of formatter(timeZone).formatToParts(utcMs)) {
		if (p.type !== 'literal') parts[p.type] = Number(p.value);
	}
	return {
		year: parts.year ?? 0,
		month: parts.month ?? 1,
		day: parts.day ?? 1,
		// Some ICU builds print midnight as 24 even with h23.
		hour: (parts.hour ?? 0) % 24,
		minute: parts.minute ?? 0,
		second: parts.second ?? 0
	};
}

function wallAsUtc(t: LocalDateTime): number {
	return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/** Offset of `timeZone` from UTC at `utcMs`, in ms (Paris in winter: +3 600 000). */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const wholeSecond = Math.floor(utcMs / 1000) * 1000;
	return wallAsUtc(localDateTime(wholeSecond, timeZone)) - wholeSecond;
}

/**
 * The instant at which the wall clock in `timeZone` shows `local`. Like Temporal's "compatible"
 * disambiguation: a time that occurs twice (autumn) resolves to the earlier instant; a time that
 * does not exist (spring gap) moves forward by the gap's length (02:30 → 03:30).
 */
export function localToUtc(local: LocalDateTime, timeZone: string): number {
	const wall = wallAsUtc(local);
	const day = 86_400_000;
	// The offsets a day either side cover any single transition near this wall time.
	const before = zoneOffsetMs(wall - day, timeZone);
	const after = zoneOffsetMs(wall + day, timeZone);
	const valid = [before, after]
		.map((offset) => wall - offset)
		.filter((utc) => zoneOffsetMs(utc, timeZone) === wall - utc)
		.sort((a, b) => a - b);
	return valid[0] ?? wall - before;
}

/** Adds whole calendar days to a local date (month and year roll over). */
export function addLocalDays(local: LocalDateTime, days: number): LocalDateTime {
	const d = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
	return { ...local, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday for a local calendar date. */
export function localWeekday(local: LocalDateTime): number {
	return new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay();
}
