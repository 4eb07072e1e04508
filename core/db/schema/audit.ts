import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export type AuditActorKind = 'user' | 'key' | 'system';

/**
 * Who did what to what, for admin actions that change the product's behaviour or touch personal data (journey
 * publish and status, erasure and export, API keys, users and roles). Written by core/privacy/audit.ts, in the
 * same transaction as the change where the change has one. Never updated or deleted by the product. Holds staff
 * (users) data and internal ids only — never a customer's identifiers, so erasure has nothing to scrub here.
 */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		actorKind: text('actor_kind').$type<AuditActorKind>().notNull(),
		/** The user's or API key's id; null for the system (scripts, seeds). */
		actorId: text('actor_id'),
		/** The user's e-mail at the time, or the key's name: kept as it was, so renaming or removing them later changes nothing here. */
		actorLabel: text('actor_label').notNull(),
		action: text('action').notNull(),
		targetType: text('target_type').notNull(),
		targetId: text('target_id'),
		details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
		ip: text('ip')
	},
	(t) => [index('audit_log_at_idx').on(t.at), index('audit_log_action_at_idx').on(t.action, t.at), index('audit_log_actor_at_idx').on(t.actorId, t.at)]
);

export type AuditRow = typeof auditLog.$inferSelect;
