import { foreignKey, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { customers } from './customers';

/**
 * Browsers where a customer turned web push on (the shop's opt-in): one row per push subscription, several per
 * customer (phone, laptop). The endpoint is unique: a browser that subscribes again moves its row. A push
 * service's 404/410 deletes the row (the browser unsubscribed), as does the shop's unsubscribe.
 */
export const pushSubscriptions = pgTable(
	'push_subscriptions',
	{
		id: text('id').primaryKey(),
		customerId: text('customer_id').notNull(),
		endpoint: text('endpoint').notNull(),
		/** The subscription's P-256 public key and auth secret (base64url), which encrypt the payload (RFC 8291). */
		p256dh: text('p256dh').notNull(),
		auth: text('auth').notNull(),
		userAgent: text('user_agent'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastSuccessAt: timestamp('last_success_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('push_subscriptions_endpoint_uq').on(t.endpoint),
		index('push_subscriptions_customer_idx').on(t.customerId),
		// Erasure deletes them explicitly; merges move them; a customer with devices is never deleted.
		foreignKey({ name: 'push_subscriptions_customer_fk', columns: [t.customerId], foreignColumns: [customers.id] }).onDelete('no action')
	]
);

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
