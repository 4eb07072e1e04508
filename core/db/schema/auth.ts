import { foreignKey, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Roles, from most to least powerful; see core/auth for what each may do. */
export const roles = ['admin', 'marketer', 'analyst', 'store'] as const;
export type Role = (typeof roles)[number];

export const users = pgTable(
	'users',
	{
		id: text('id').primaryKey(),
		email: text('email').notNull(),
		name: text('name').notNull(),
		role: text('role').$type<Role>().notNull(),
		passwordHash: text('password_hash').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		/** Set when an admin disables the account: sign-in refused, sessions revoked; kept for history. */
		disabledAt: timestamp('disabled_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('users_email_uq').on(t.email)]
);

/** Browser sessions: only a hash of the cookie's token is stored. */
export const sessions = pgTable(
	'sessions',
	{
		tokenHash: text('token_hash').primaryKey(),
		userId: text('user_id').notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('sessions_user_idx').on(t.userId),
		// A session means nothing without its user.
		foreignKey({ name: 'sessions_user_id_users_id_fk', columns: [t.userId], foreignColumns: [users.id] }).onDelete('cascade')
	]
);

/**
 * Credentials for machines: `write` keys for event ingest (Segment clients send them as the Basic username)
 * and `secret` keys for the JSON APIs (Bearer). Only a SHA-256 of the key is kept, plus a prefix to show.
 */
export const apiKeys = pgTable('api_keys', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	kind: text('kind').$type<'write' | 'secret'>().notNull(),
	role: text('role').$type<Role>().notNull(),
	keyHash: text('key_hash').notNull().unique('api_keys_hash_uq'),
	prefix: text('prefix').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	revokedAt: timestamp('revoked_at', { withTimezone: true })
});

export type User = typeof users.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
