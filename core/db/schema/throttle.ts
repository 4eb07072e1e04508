import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Send and entry throttling shared by every worker replica (core/throttle). One row per turn taken in a bucket
 * (`channel:sms`, `journey:<id>:messages`, `journey:<id>:entries`): `slotAt` is the turn handed out in arrival
 * order, `sentAt` when the send really happened (checked against the rate in a sliding window, so late timers
 * cannot bunch sends up). `key` (enrollment:step:visit) makes taking a turn idempotent under activity retries.
 */
export const throttleSlots = pgTable(
	'throttle_slots',
	{
		bucket: text('bucket').notNull(),
		key: text('key').notNull(),
		slotAt: timestamp('slot_at', { withTimezone: true }).notNull(),
		sentAt: timestamp('sent_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ name: 'throttle_slots_pk', columns: [t.bucket, t.key] }),
		index('throttle_slots_bucket_slot_idx').on(t.bucket, t.slotAt),
		index('throttle_slots_bucket_sent_idx').on(t.bucket, t.sentAt)
	]
);

export type ThrottleSlot = typeof throttleSlots.$inferSelect;
