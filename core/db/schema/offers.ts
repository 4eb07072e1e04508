import { index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export type OfferStatus = 'active' | 'redeemed' | 'expired' | 'revoked';

/**
 * One promotion granted to one customer by one journey step: a single record and code that the ad link, the
 * web cart, the email, the SMS and the store's till all read. Redemption flips `status` atomically.
 */
export const offers = pgTable(
	'offers',
	{
		id: text('id').primaryKey(),
		code: text('code').notNull(),
		/** enrollment + node (+ visit): a retried grant finds the same offer. */
		grantKey: text('grant_key').notNull(),
		customerId: text('customer_id').notNull(),
		journeyId: text('journey_id'),
		enrollmentId: text('enrollment_id'),
		nodeId: text('node_id'),
		title: text('title').notNull(),
		kind: text('kind').$type<'percent' | 'amount'>().notNull(),
		value: numeric('value', { precision: 12, scale: 2 }).notNull(),
		currency: text('currency'),
		productScope: jsonb('product_scope').$type<string[]>(),
		storeScope: jsonb('store_scope').$type<string[]>(),
		status: text('status').$type<OfferStatus>().notNull().default('active'),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		reservedUntil: timestamp('reserved_until', { withTimezone: true }),
		reservedBy: text('reserved_by'),
		redeemedAt: timestamp('redeemed_at', { withTimezone: true }),
		redeemedChannel: text('redeemed_channel'),
		redeemedOrderId: text('redeemed_order_id'),
		/** The till or store where it was redeemed, when redeemed in store. */
		redeemedStoreId: text('redeemed_store_id'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('offers_code_uq').on(t.code),
		uniqueIndex('offers_grant_key_uq').on(t.grantKey),
		index('offers_customer_idx').on(t.customerId, t.status),
		// Templates quote "the offer this enrollment granted last".
		index('offers_enrollment_idx').on(t.enrollmentId, t.createdAt)
	]
);

/** The answer given to each redemption request, so a retry with the same Idempotency-Key gets the same one. */
export const redemptions = pgTable('redemptions', {
	idempotencyKey: text('idempotency_key').primaryKey(),
	offerCode: text('offer_code').notNull(),
	statusCode: integer('status_code').notNull(),
	response: jsonb('response').$type<unknown>().notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** Work for store associates created by the in-store offer / store task step. */
export const storeTasks = pgTable(
	'store_tasks',
	{
		id: text('id').primaryKey(),
		taskKey: text('task_key').notNull(),
		customerId: text('customer_id').notNull(),
		enrollmentId: text('enrollment_id'),
		journeyId: text('journey_id'),
		nodeId: text('node_id'),
		storeId: text('store_id'),
		title: text('title').notNull(),
		instructions: text('instructions').notNull().default(''),
		offerId: text('offer_id'),
		status: text('status').$type<'open' | 'done'>().notNull().default('open'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		doneAt: timestamp('done_at', { withTimezone: true }),
		doneBy: text('done_by')
	},
	(t) => [uniqueIndex('store_tasks_key_uq').on(t.taskKey), index('store_tasks_store_status_idx').on(t.storeId, t.status)]
);

export type Offer = typeof offers.$inferSelect;
export type StoreTask = typeof storeTasks.$inferSelect;
