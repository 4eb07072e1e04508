import { foreignKey, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { customers } from './customers';
import { enrollments } from './journeys';

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
		index('offers_enrollment_idx').on(t.enrollmentId, t.createdAt),
		// An offer may still be redeemed whatever happens to its journey: merges move it, the customer row stays, and
		// it outlives its enrollment by forgetting it. `journeyId` is the enrollment's, copied.
		foreignKey({ name: 'offers_customer_fk', columns: [t.customerId], foreignColumns: [customers.id] }).onDelete('no action'),
		foreignKey({ name: 'offers_enrollment_fk', columns: [t.enrollmentId], foreignColumns: [enrollments.id] }).onDelete('set null')
	]
);

/**
 * The answer given to each redemption request, so a retry with the same Idempotency-Key gets the same one.
 * No foreign key to offers: the answer to a code that matches no offer (404 not_found) is remembered too.
 */
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
	(t) => [
		uniqueIndex('store_tasks_key_uq').on(t.taskKey),
		index('store_tasks_store_status_idx').on(t.storeId, t.status),
		// Like offers: the customer row stays; a task outlives its enrollment or offer by forgetting it.
		foreignKey({ name: 'store_tasks_customer_fk', columns: [t.customerId], foreignColumns: [customers.id] }).onDelete('no action'),
		foreignKey({ name: 'store_tasks_enrollment_fk', columns: [t.enrollmentId], foreignColumns: [enrollments.id] }).onDelete('set null'),
		foreignKey({ name: 'store_tasks_offer_fk', columns: [t.offerId], foreignColumns: [offers.id] }).onDelete('set null')
	]
);

export type Offer = typeof offers.$inferSelect;
export type StoreTask = typeof storeTasks.$inferSelect;
