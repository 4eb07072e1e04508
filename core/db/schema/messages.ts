import { bigserial, foreignKey, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { enrollments } from './journeys';

export type Channel = 'email' | 'sms' | 'whatsapp' | 'push' | 'ads' | 'webhook' | 'store';
export type MessageStatus =
	| 'pending'
	| 'held'
	/** An attempt's answer was lost and the provider could not tell whether it sent: for a person to check. */
	| 'unknown'
	| 'queued'
	| 'sent'
	| 'delivered'
	| 'opened'
	| 'clicked'
	| 'bounced'
	| 'dropped'
	| 'spam'
	| 'unsubscribed'
	| 'undelivered'
	| 'failed'
	| 'skipped';

/**
 * Every outbound message. `idempotencyKey` (enrollment + node + visit) is unique, so a retried activity finds
 * the row it already wrote and never sends twice. Without provider credentials `provider` is 'outbox'.
 */
export const messages = pgTable(
	'messages',
	{
		id: text('id').primaryKey(),
		idempotencyKey: text('idempotency_key').notNull(),
		channel: text('channel').$type<Channel>().notNull(),
		provider: text('provider').notNull(),
		customerId: text('customer_id').notNull(),
		journeyId: text('journey_id'),
		enrollmentId: text('enrollment_id'),
		nodeId: text('node_id'),
		to: text('to').notNull(),
		subject: text('subject'),
		body: text('body').notNull(),
		status: text('status').$type<MessageStatus>().notNull().default('pending'),
		providerMessageId: text('provider_message_id'),
		error: text('error'),
		/** Provider-specific facts: SMS segments and encoding, audience ids, the offer quoted. */
		meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default({}),
		/** Send attempts; an attempt holds `lockedUntil` so two overlapping activity attempts never both send. */
		attempts: integer('attempts').notNull().default(0),
		lockedUntil: timestamp('locked_until', { withTimezone: true }),
		sentAt: timestamp('sent_at', { withTimezone: true }),
		/**
		 * When this message took its place under the customer's frequency caps (marketing sends only; set under a
		 * per-customer lock just before the provider call, cleared when it fails or is skipped). Caps count these.
		 */
		countedAt: timestamp('counted_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('messages_idempotency_uq').on(t.idempotencyKey),
		index('messages_customer_idx').on(t.customerId, t.createdAt),
		index('messages_provider_id_idx').on(t.providerMessageId),
		index('messages_channel_created_idx').on(t.channel, t.createdAt),
		index('messages_customer_counted_idx').on(t.customerId, t.countedAt),
		// A message outlives its enrollment (which is never deleted today) by forgetting it; `journeyId` is the
		// enrollment's, copied. No key to customers: a send or audience sync for an id that names no one is still
		// recorded, as skipped (no_customer), so a retried activity finds its answer (core/channels/send.ts).
		foreignKey({ name: 'messages_enrollment_fk', columns: [t.enrollmentId], foreignColumns: [enrollments.id] }).onDelete('set null')
	]
);

/** Delivery and engagement events reported by providers' webhooks, in arrival order. */
export const messageEvents = pgTable(
	'message_events',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		messageId: text('message_id').notNull(),
		status: text('status').$type<MessageStatus>().notNull(),
		providerEventId: text('provider_event_id'),
		raw: jsonb('raw').$type<Record<string, unknown>>(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('message_events_message_idx').on(t.messageId),
		uniqueIndex('message_events_provider_uq').on(t.providerEventId),
		// Delivery events are details of their message and go with it.
		foreignKey({ name: 'message_events_message_fk', columns: [t.messageId], foreignColumns: [messages.id] }).onDelete('cascade')
	]
);

export type Message = typeof messages.$inferSelect;
