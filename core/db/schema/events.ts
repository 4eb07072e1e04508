import { sql } from 'drizzle-orm';
import { foreignKey, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { customers } from './customers';

export type EventType = 'identify' | 'track' | 'page' | 'screen' | 'alias' | 'group';

/**
 * Every accepted event, committed before the ingest API answers. `routedAt` is set once journeys have seen it;
 * the router retries rows where it is null, so an event accepted while Temporal is down is never lost.
 */
export const events = pgTable(
	'events',
	{
		id: text('id').primaryKey(),
		messageId: text('message_id').notNull(),
		type: text('type').$type<EventType>().notNull(),
		name: text('name'),
		customerId: text('customer_id').notNull(),
		userId: text('user_id'),
		anonymousId: text('anonymous_id'),
		properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
		traits: jsonb('traits').$type<Record<string, unknown>>(),
		context: jsonb('context').$type<Record<string, unknown>>().notNull().default({}),
		timestamp: timestamp('timestamp', { withTimezone: true }).notNull(),
		receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
		routedAt: timestamp('routed_at', { withTimezone: true }),
		routingAttempts: integer('routing_attempts').notNull().default(0),
		routingError: text('routing_error'),
		/** A router working on the event holds it until then; others skip it (no double routing by web and sweep). */
		routingClaimedUntil: timestamp('routing_claimed_until', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('events_message_id_uq').on(t.messageId),
		index('events_customer_ts_idx').on(t.customerId, t.timestamp),
		index('events_name_ts_idx').on(t.name, t.timestamp),
		index('events_unrouted_idx')
			.on(t.receivedAt)
			.where(sql`${t.routedAt} is null`),
		// Events are history: merges move them, erasure scrubs them in place, the customer row is never deleted.
		foreignKey({ name: 'events_customer_fk', columns: [t.customerId], foreignColumns: [customers.id] }).onDelete('no action')
	]
);

export type EventRow = typeof events.$inferSelect;
