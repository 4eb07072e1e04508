import { z } from 'zod';
import { EventName, Id, nodeBase } from './common';
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

export const TriggerEntry = z.discriminatedUnion('kind', [EventEntry, SegmentEntry, ManualEntry]);
export type TriggerEntry = z.infer<typeof TriggerEntry>;

export const TriggerNode = z.object({ ...nodeBase, type: z.literal('trigger'), entry: TriggerEntry });
export type TriggerNode = z.infer<typeof TriggerNode>;
