import { and, count, desc, eq, gte, ilike, lt, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../auth/accounts';
import type { Db } from '../db/client';
import { auditLog, type AuditActorKind, type AuditRow } from '../db/schema/audit';

/**
 * The audit log of admin actions. Recorded by the core functions that make each change (journeys' publish,
 * setStatus and setArchived; accounts' users and keys; privacy's erasure and export), inside the change's own
 * transaction where it has one, whenever the caller passes an `actor` — and the web layer always does: its one
 * entry point per action (web/lib/server/journeys.ts, the settings actions, the customer routes) takes the
 * signed-in principal. tests/core/privacy/audit-callers.test.ts fails when a route calls one of these core
 * functions without an actor.
 */

export const auditActions = [
	'journey.publish',
	'journey.pause',
	'journey.resume',
	'journey.stop',
	'journey.archive',
	'journey.unarchive',
	'customer.erase',
	'customer.export',
	'api_key.create',
	'api_key.revoke',
	'user.create',
	'user.disable',
	'user.enable',
	'user.role_change'
] as const;
export type AuditAction = (typeof auditActions)[number];

/** Who acts: a signed-in user, an API key, or the system (scripts, seeds); `ip` when it came over HTTP. */
export type AuditActor = { kind: AuditActorKind; id: string | null; label: string; ip?: string | null };

export function actorOf(principal: Principal | null, ip?: string | null): AuditActor {
	if (!principal) return { kind: 'system', id: null, label: 'system', ip: ip ?? null };
	if (principal.kind === 'user') return { kind: 'user', id: principal.user.id, label: principal.user.email, ip: ip ?? null };
	return { kind: 'key', id: principal.keyId, label: `key:${principal.name}`, ip: ip ?? null };
}

export type AuditEntry = {
	action: AuditAction;
	targetType: 'journey' | 'customer' | 'api_key' | 'user';
	targetId: string | null;
	/** Facts about the change for a reader (version, old and new role…): never a customer's identifiers. */
	details?: Record<string, unknown>;
};

/** Writes one row; `db` may be the transaction that makes the change, so both commit or neither does. */
export async function recordAudit(db: Pick<Db, 'insert'>, actor: AuditActor, entry: AuditEntry, at = new Date()): Promise<void> {
	await db.insert(auditLog).values({
		at,
		actorKind: actor.kind,
		actorId: actor.id,
		actorLabel: actor.label,
		action: entry.action,
		targetType: entry.targetType,
		targetId: entry.targetId,
		details: entry.details ?? {},
		ip: actor.ip ?? null
	});
}

const day = z.iso.date();

/** The audit page's and API's filters; dates are whole days (UTC), `to` inclusive. */
export const AuditQuery = z.object({
	action: z.enum(auditActions).optional(),
	actor: z.string().trim().max(200).optional(),
	from: day.optional(),
	to: day.optional(),
	page: z.coerce.number().int().min(1).max(100_000).default(1),
	pageSize: z.coerce.number().int().min(1).max(200).default(50)
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export type AuditPage = { items: AuditRow[]; total: number; page: number; pageSize: number };

/** Newest first. `actor` matches part of the e-mail or key name, or an exact actor id. */
export async function listAudit(db: Db, query: AuditQuery): Promise<AuditPage> {
	const filters: SQL[] = [];
	if (query.action) filters.push(eq(auditLog.action, query.action));
	if (query.actor) {
		const pattern = `%${query.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		filters.push(or(ilike(auditLog.actorLabel, pattern), eq(auditLog.actorId, query.actor))!);
	}
	if (query.from) filters.push(gte(auditLog.at, new Date(`${query.from}T00:00:00Z`)));
	if (query.to) filters.push(lt(auditLog.at, new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000)));
	const where = filters.length ? and(...filters) : undefined;
	const [items, [total]] = await Promise.all([
		db
			.select()
			.from(auditLog)
			.where(where)
			.orderBy(desc(auditLog.at), desc(auditLog.id))
			.limit(query.pageSize)
			.offset((query.page - 1) * query.pageSize),
		db.select({ n: count() }).from(auditLog).where(where)
	]);
	return { items, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}
