import { z } from 'zod';
import { EventName, Id, TimeOfDay, TimeZone, Weekday, issue, nodeBase } from './common';
import { PropertyFilter } from './filters';

/** Enter when the customer does something (`ad_clicked` with `campaign = spring`). */
export const EventEntry = z.object({
	kind: z.literal('event'),
	event: EventName,
	filters: z.array(PropertyFilter).optional()
});

/** Enter when the customer joins (default) or leaves a segment. */
export const SegmentEntry = z.object({
	kind: z.literal('segment'),
	segmentId: Id,
	on: z.enum(['enter', 'leave']).optional()
});

/** Enter only when enrolled by the API or by hand from the UI. */
export const ManualEntry = z.object({ kind: z.literal('manual') });

/** A calendar date, `YYYY-MM-DD` (a real one: no 31 February). */
export const LocalDate = z.iso.date();

/**
 * Enter a segment's members on a schedule: once on `date`, or every day, every week on `weekdays`, every month on
 * `dayOfMonth` (months without that day are skipped), at `time`. `timeIn: 'customer'` enters each member at `time`
 * in their own zone (across the day); customers without one, and `timeIn: 'journey'`, use `timeZone`, else the
 * journey's default zone, else UTC. Run by a Temporal Schedule (core/scheduling).
 */
export const ScheduleEntry = z
	.object({
		kind: z.literal('schedule'),
		segmentId: Id,
		repeat: z.enum(['once', 'daily', 'weekly', 'monthly']),
		date: LocalDate.optional(),
		weekdays: z.array(Weekday).min(1).optional(),
		dayOfMonth: z.number().int().min(1).max(31).optional(),
		time: TimeOfDay,
		timeIn: z.enum(['journey', 'customer']).optional(),
		timeZone: TimeZone.optional()
	})
	.superRefine((s, ctx) => {
		if (s.repeat === 'once' && s.date === undefined) ctx.addIssue(issue(['date'], 'missing', 'missing_field'));
		if (s.repeat === 'weekly' && s.weekdays === undefined) ctx.addIssue(issue(['weekdays'], 'missing', 'missing_field'));
		if (s.repeat === 'monthly' && s.dayOfMonth === undefined) ctx.addIssue(issue(['dayOfMonth'], 'missing', 'missing_field'));
	});
export type ScheduleEntry = z.infer<typeof ScheduleEntry>;

export const TriggerEntry = z.discriminatedUnion('kind', [EventEntry, SegmentEntry, ManualEntry, ScheduleEntry]);
export type TriggerEntry = z.infer<typeof TriggerEntry>;

export const TriggerNode = z.object({ ...nodeBase, type: z.literal('trigger'), entry: TriggerEntry });
export type TriggerNode = z.infer<typeof TriggerNode>;
