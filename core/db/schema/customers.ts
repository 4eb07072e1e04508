import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export type ConsentChannel = 'email' | 'sms' | 'ads';
export type ConsentState = { granted: boolean; source: string; at: string };

/** One profile per person, shared by every channel. A merged-away profile points at the survivor. */
export const customers = pgTable(
	'customers',
	{
		id: text('id').primaryKey(),
		traits: jsonb('traits').$type<Record<string, unknown>>().notNull().default({}),
		/** When each trait was last set (ISO), so a late event never overwrites a newer value. */
		traitTimes: jsonb('trait_times').$type<Record<string, string>>().notNull().default({}),
		consent: jsonb('consent').$type<Partial<Record<ConsentChannel, ConsentState>>>().notNull().default({}),
		timezone: text('timezone'),
		firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
		ordersCount: integer('orders_count').notNull().default(0),
		lifetimeValue: numeric('lifetime_value', { precision: 14, scale: 2 }).notNull().default('0'),
		mergedInto: text('merged_into'),
		erasedAt: timestamp('erased_at', { withTimezone: true })
	},
	(t) => [
		index('customers_last_seen_idx').on(t.lastSeenAt),
		index('customers_merged_into_idx').on(t.mergedInto).where(sql`${t.mergedInto} is not null`)
	]
);

export const identityKinds = ['userId', 'anonymousId', 'email', 'phone', 'loyaltyId', 'fbclid', 'gclid'] as const;
export type IdentityKind = (typeof identityKinds)[number];

/** Every identifier ever seen, normalized (lower-cased e-mail, E.164 phone), pointing at one customer. */
export const identities = pgTable(
	'identities',
	{
		kind: text('kind').$type<IdentityKind>().notNull(),
		value: text('value').notNull(),
		customerId: text('customer_id')
			.notNull()
			.references(() => customers.id),
		firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ name: 'identities_pk', columns: [t.kind, t.value] }), index('identities_customer_idx').on(t.customerId)]
);

/** A merge is recorded with what moved, so it can be undone without losing anything. */
export const merges = pgTable(
	'merges',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		fromCustomerId: text('from_customer_id').notNull(),
		intoCustomerId: text('into_customer_id').notNull(),
		eventId: text('event_id'),
		snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		undoneAt: timestamp('undone_at', { withTimezone: true })
	},
	(t) => [index('merges_into_idx').on(t.intoCustomerId), index('merges_from_idx').on(t.fromCustomerId)]
);

/** Free-text notes by staff, shown on the timeline. */
export const notes = pgTable(
	'notes',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		customerId: text('customer_id').notNull(),
		author: text('author').notNull(),
		body: text('body').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('notes_customer_idx').on(t.customerId, t.createdAt)]
);

/** Addresses that must not be contacted on a channel (bounces, spam reports, unsubscribes, STOP). */
export const suppressions = pgTable(
	'suppressions',
	{
		channel: text('channel').$type<'email' | 'sms'>().notNull(),
		value: text('value').notNull(),
		reason: text('reason').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ name: 'suppressions_pk', columns: [t.channel, t.value] })]
);

export const segments = pgTable('segments', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	definition: jsonb('definition').$type<unknown>().notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export const segmentMembers = pgTable(
	'segment_members',
	{
		segmentId: text('segment_id')
			.notNull()
			.references(() => segments.id, { onDelete: 'cascade' }),
		customerId: text('customer_id').notNull(),
		enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ name: 'segment_members_pk', columns: [t.segmentId, t.customerId] }), index('segment_members_customer_idx').on(t.customerId)]
);

export type Customer = typeof customers.$inferSelect;
export type Identity = typeof identities.$inferSelect;
