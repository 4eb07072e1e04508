import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Accepted ingest messages not yet processed: the HTTP API appends here (one multi-row INSERT per group of
 * concurrent requests) and answers 200 once it commits; the processor in the worker resolves identities, writes
 * `events` and the profile, and deletes the row in the same transaction. `seq` is the receive order; `eventId` is
 * the id the API already answered and the `events` row will carry. A row whose processing kept failing is kept
 * with `failedAt` set (dead letter), visible on the status page.
 */
export const ingestInbox = pgTable(
	'ingest_inbox',
	{
		seq: bigserial('seq', { mode: 'number' }).primaryKey(),
		eventId: text('event_id').notNull(),
		messageId: text('message_id').notNull(),
		/** userId, else anonymousId: messages of one sender are processed in `seq` order. */
		senderKey: text('sender_key').notNull(),
		/** The validated message as stored JSON (re-parsed by the processor). */
		message: jsonb('message').$type<Record<string, unknown>>().notNull(),
		receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
		attempts: integer('attempts').notNull().default(0),
		/** Not claimed before this (back-off after a failed attempt). */
		availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
		error: text('error'),
		failedAt: timestamp('failed_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('ingest_inbox_message_id_uq').on(t.messageId), index('ingest_inbox_sender_seq_idx').on(t.senderKey, t.seq)]
);

export type InboxRow = typeof ingestInbox.$inferSelect;
