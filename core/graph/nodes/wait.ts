import { z } from 'zod';
import { Duration, EventName, IsoDateTime, PropertyPath, TimeOfDay, TimeZone, Weekday, nodeBase } from './common';
import { PropertyFilter } from './filters';

const waitBase = { ...nodeBase, type: z.literal('wait') };

/** Wait a fixed time (a "day" is 24 hours; use `localTime` to land on a wall-clock time). */
export const DurationWait = z.object({ ...waitBase, mode: z.literal('duration'), duration: Duration });

/** Wait until an instant; a date already past lets the customer through at once. */
export const UntilWait = z.object({ ...waitBase, mode: z.literal('until'), until: IsoDateTime });

/**
 * Wait until the next `time` on one of `weekdays` (all days when absent) in the customer's zone,
 * else `fallbackTimeZone`, else the journey's default zone, else UTC.
 */
export const LocalTimeWait = z.object({
	...waitBase,
	mode: z.literal('localTime'),
	time: TimeOfDay,
	weekdays: z.array(Weekday).min(1).optional(),
	fallbackTimeZone: TimeZone.optional()
});

/**
 * Wait until a date the customer's data carries — the entry event's property (`release_date` of a pre-order) or a
 * profile trait (`appointment_date`) — at `time` on that day in the customer's zone (else `fallbackTimeZone`, else
 * the journey's default, else UTC), `offsetDays` before (negative) or after it. The date is read as written
 * (`2026-12-05`, or the date part of an ISO timestamp). A date already past lets the customer through at once; no
 * readable date ends the enrollment here (exited, with the reason), so nobody is told "it's out today" by mistake.
 */
export const DateWait = z.object({
	...waitBase,
	mode: z.literal('date'),
	date: z.object({ source: z.enum(['event', 'trait']), path: PropertyPath }),
	time: TimeOfDay,
	offsetDays: z.number().int().min(-365).max(365).optional(),
	fallbackTimeZone: TimeZone.optional()
});

export const WaitNode = z.discriminatedUnion('mode', [DurationWait, UntilWait, LocalTimeWait, DateWait]);
export type WaitNode = z.infer<typeof WaitNode>;

/**
 * Wait for the customer to do something, at most `timeout`. Leaves by the `event` branch when a
 * matching event arrives, else by `timeout`. `matchEntryProperty` (a path such as `cart_id`) also
 * requires the event to carry the same value as the event that started the journey.
 */
export const WaitForEventNode = z.object({
	...nodeBase,
	type: z.literal('waitForEvent'),
	event: EventName,
	filters: z.array(PropertyFilter).optional(),
	matchEntryProperty: PropertyPath.optional(),
	timeout: Duration
});
export type WaitForEventNode = z.infer<typeof WaitForEventNode>;
