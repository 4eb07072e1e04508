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

export const WaitNode = z.discriminatedUnion('mode', [DurationWait, UntilWait, LocalTimeWait]);
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
