import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { customers } from './customers';
import { stores } from './stock';

/** A cart line: the SKU and how many; prices are always the catalogue's at the moment of sale. */
export type CartLineItem = { productId: string; qty: number };
export type CartStatus = 'open' | 'ordered' | 'sold' | 'merged';

/**
 * One cart per customer (or per anonymous visitor until ingest knows who they are), kept server-side so every
 * device of the person reads and writes the same one. A cart is closed — never deleted — when it becomes an order
 * online (`ordered`), is sold at a till (`sold`) or is folded into the customer's cart (`merged`); the next
 * change opens a new one. `handoffCode` is the short code the phone shows next to its QR code for the till.
 */
export const carts = pgTable(
	'carts',
	{
		id: text('id').primaryKey(),
		customerId: text('customer_id'),
		anonymousId: text('anonymous_id'),
		items: jsonb('items').$type<CartLineItem[]>().notNull().default([]),
		offerCode: text('offer_code'),
		status: text('status').$type<CartStatus>().notNull().default('open'),
		orderId: text('order_id'),
		handoffCode: text('handoff_code'),
		handoffExpiresAt: timestamp('handoff_expires_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		closedAt: timestamp('closed_at', { withTimezone: true })
	},
	(t) => [
		// One open cart per customer and per not-yet-known visitor: two devices adding at once meet in one row.
		uniqueIndex('carts_open_customer_uq')
			.on(t.customerId)
			.where(sql`${t.status} = 'open' and ${t.customerId} is not null`),
		uniqueIndex('carts_open_visitor_uq')
			.on(t.anonymousId)
			.where(sql`${t.status} = 'open' and ${t.customerId} is null`),
		uniqueIndex('carts_handoff_code_uq')
			.on(t.handoffCode)
			.where(sql`${t.handoffCode} is not null`),
		foreignKey({ name: 'carts_customer_fk', columns: [t.customerId], foreignColumns: [customers.id] }).onDelete('no action')
	]
);

export type OrderChannel = 'web' | 'store';
export type OrderFulfilment = 'ship' | 'pickup' | 'in_store';
/** `placed` → (pickups) `ready` → `collected`; a till sale and a shipped order stay `placed`. */
export type OrderStatus = 'placed' | 'ready' | 'collected';
export type OrderLine = { productId: string; name: string; qty: number; priceCents: number };

/**
 * What was bought, once per cart (`cartId` is unique: a resent checkout or a double-tapped till button is one
 * order). A click-and-collect order names its `pickupStoreId` and moves through ready and collected there.
 */
export const orders = pgTable(
	'orders',
	{
		id: text('id').primaryKey(),
		cartId: text('cart_id').notNull(),
		customerId: text('customer_id'),
		anonymousId: text('anonymous_id'),
		channel: text('channel').$type<OrderChannel>().notNull(),
		/** The store that sold it at its till. */
		storeId: text('store_id'),
		fulfilment: text('fulfilment').$type<OrderFulfilment>().notNull(),
		pickupStoreId: text('pickup_store_id'),
		status: text('status').$type<OrderStatus>().notNull().default('placed'),
		items: jsonb('items').$type<OrderLine[]>().notNull(),
		subtotalCents: integer('subtotal_cents').notNull(),
		discountCents: integer('discount_cents').notNull().default(0),
		totalCents: integer('total_cents').notNull(),
		currency: text('currency').notNull(),
		offerCode: text('offer_code'),
		/** Who collects it (as typed at checkout), for the counter. */
		buyerName: text('buyer_name'),
		buyerEmail: text('buyer_email'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		readyAt: timestamp('ready_at', { withTimezone: true }),
		collectedAt: timestamp('collected_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('orders_cart_uq').on(t.cartId),
		index('orders_customer_idx').on(t.customerId, t.createdAt),
		// The store page's pickup lists: per store, by stage.
		index('orders_pickup_idx')
			.on(t.pickupStoreId, t.status, t.createdAt)
			.where(sql`${t.pickupStoreId} is not null`),
		check('orders_pickup_has_store', sql`${t.fulfilment} <> 'pickup' or ${t.pickupStoreId} is not null`),
		foreignKey({ name: 'orders_customer_fk', columns: [t.customerId], foreignColumns: [customers.id] }).onDelete('no action'),
		foreignKey({ name: 'orders_store_fk', columns: [t.storeId], foreignColumns: [stores.id] }).onDelete('no action'),
		foreignKey({ name: 'orders_pickup_store_fk', columns: [t.pickupStoreId], foreignColumns: [stores.id] }).onDelete('no action')
	]
);

export type CartRow = typeof carts.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
