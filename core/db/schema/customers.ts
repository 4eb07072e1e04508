import { sql } from 'drizzle-orm';
import { bigserial, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export type ConsentChannel = 'email' | 'sms' | 'whatsapp' | 'push' | 'ads';
/** Channels whose addresses can be suppressed (WhatsApp: the E.164 number, apart from its SMS suppression). */
export type SuppressionChannel = 'email' | 'sms' | 'whatsapp';
export type ConsentState = { granted: boolean; source: string; at: string };

/**
 * One profile per person, shared by every channel. A merged-away profile points at the survivor.
 * Customers are never deleted: erasure blanks the row in place and a merge keeps the loser pointing at the
 * survivor. So every reference to a customer is NO ACTION: a hard delete of someone with history is refused
 * rather than silently orphaning or wiping it, while merges (which only move rows between live ids) pass.
 */
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
		index('customers_merged_into_idx')
			.on(t.mergedInto)
			.where(sql`${t.mergedInto} is not null`),
		// The survivor of a merge is a customer too (never deleted, see above).
		foreignKey({ name: 'customers_merged_into_fk', columns: [t.mergedInto], foreignColumns: [t.id] }).onDelete('no action')
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
		customerId: text('customer_id').notNull(),
		firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ name: 'identities_pk', columns: [t.kind, t.value] }),
		index('identities_customer_idx').on(t.customerId),
		// Merges and undo move identities between customers, erasure deletes them; the customer row always stays.
		foreignKey({ name: 'identities_customer_id_customers_id_fk', columns: [t.customerId], foreignColumns: [customers.id] }).onDelete('no action')
	]
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
	(t) => [
		index('merges_into_idx').on(t.intoCustomerId),
		index('merges_from_idx').on(t.fromCustomerId),
		// Both sides of a merge stay as rows (the loser points at the survivor); erasure empties the snapshot only.
		foreignKey({ name: 'merges_from_customer_fk', columns: [t.fromCustomerId], foreignColumns: [customers.id] }).onDelete('no action'),
		foreignKey({ name: 'merges_into_customer_fk', columns: [t.intoCustomerId], foreignColumns: [customers.id] }).onDelete('no action')
	]
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
	(t) => [
		index('notes_customer_idx').on(t.customerId, t.createdAt),
		// Merges move notes, erasure deletes them explicitly; a customer with notes is never deleted.
		foreignKey({ name: 'notes_customer_fk', columns: [t.customerId], foreignColumns: [customers.id] }).onDelete('no action')
	]
);

/** Addresses that must not be contacted on a channel (bounces, spam reports, unsubscribes, STOP). */
export const suppressions = pgTable(
	'suppressions',
	{
		channel: text('channel').$type<SuppressionChannel>().notNull(),
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
		segmentId: text('segment_id').notNull(),
		customerId: text('customer_id').notNull(),
		enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ name: 'segment_members_pk', columns: [t.segmentId, t.customerId] }),
		index('segment_members_customer_idx').on(t.customerId),
		// Memberships are derived (a refresh recomputes them): they go with their segment or their customer.
		foreignKey({ name: 'segment_members_segment_id_segments_id_fk', columns: [t.segmentId], foreignColumns: [segments.id] }).onDelete('cascade'),
		foreignKey({ name: 'segment_members_customer_fk', columns: [t.customerId], foreignColumns: [customers.id] }).onDelete('cascade')
	]
);

export type Customer = typeof customers.$inferSelect;
export type Identity = typeof identities.$inferSelect;
