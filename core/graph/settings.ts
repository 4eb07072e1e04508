import { z } from 'zod';
import { Duration, IsoDateTime, TimeOfDay, TimeZone, issue } from './nodes/common';
import { EventMatcher } from './nodes/filters';

/** May a customer who already went through the journey enter again, and when. */
export const Reentry = z.discriminatedUnion('mode', [
	z.object({ mode: z.literal('never') }),
	z.object({ mode: z.literal('afterPeriod'), period: Duration }),
	z.object({ mode: z.literal('always') })
]);
export type Reentry = z.infer<typeof Reentry>;

export const EntryWindow = z.object({ start: IsoDateTime.optional(), end: IsoDateTime.optional() }).superRefine((w, ctx) => {
	if (w.start && w.end && Date.parse(w.start) >= Date.parse(w.end))
		ctx.addIssue(issue(['end'], 'closes its entry window before it opens.', 'invalid_entry_window'));
});

/** No message is sent between `start` and `end` (customer's zone); may span midnight (21:00–08:00). */
export const QuietHours = z.object({ start: TimeOfDay, end: TimeOfDay }).superRefine((q, ctx) => {
	if (q.start === q.end) ctx.addIssue(issue(['end'], 'has quiet hours that start and end at the same time.', 'invalid_time_of_day'));
});
export type QuietHours = z.infer<typeof QuietHours>;

/** At most `max` messages on `channel` (`all`: every message channel together) per rolling `per`. */
export const FrequencyCap = z.object({
	channel: z.enum(['email', 'sms', 'whatsapp', 'push', 'all']),
	max: z.number().int().positive(),
	per: Duration
});
export type FrequencyCap = z.infer<typeof FrequencyCap>;

/** At most `max` per `per`: a throttle's rate (what exceeds it waits its turn; nothing is dropped). */
export const ThrottleRate = z.object({ max: z.number().int().positive(), per: Duration });
export type ThrottleRate = z.infer<typeof ThrottleRate>;

/** Spreads a journey out: customers entering, and messages it sends (all channels), shared by every worker. */
export const JourneyThrottle = z.object({ entries: ThrottleRate.optional(), messages: ThrottleRate.optional() });
export type JourneyThrottle = z.infer<typeof JourneyThrottle>;

/** Conversion: any of `events` within `attributionWindow` of entering the journey. */
export const Goal = z.object({ events: z.array(EventMatcher).min(1), attributionWindow: Duration });
export type Goal = z.infer<typeof Goal>;

export const JourneySettings = z.object({
	reentry: Reentry,
	entryWindow: EntryWindow.optional(),
	/** Customers in the journey at the same time; further entries are refused. */
	maxConcurrentEnrollments: z.number().int().positive().optional(),
	/** Any of these events ends the enrollment wherever the customer is. */
	exitCriteria: z.array(EventMatcher),
	goal: Goal.optional(),
	quietHours: QuietHours.optional(),
	frequencyCaps: z.array(FrequencyCap).optional(),
	throttle: JourneyThrottle.optional(),
	/** Zone for customers without one (quiet hours, local-time waits); UTC when absent. */
	defaultTimeZone: TimeZone.optional()
});
export type JourneySettings = z.infer<typeof JourneySettings>;
