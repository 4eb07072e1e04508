import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { apiKeys, sessions, users, type Role, type User } from '../db/schema/auth';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './passwords';
import { newToken, sha256Hex } from './tokens';
import { recordAudit, type AuditActor } from '../privacy/audit';
import { cachedWriteKey, forgetWriteKeys, rememberWriteKey } from './key-cache';

/** A session lives at most 14 days, and ends after 12 hours without a request (a till left signed in overnight). */
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
export const SESSION_IDLE_MS = 12 * 3600 * 1000;
/** The idle deadline is pushed forward at most this often, not on every request. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export type Principal =
	{ kind: 'user'; user: Pick<User, 'id' | 'email' | 'name' | 'role'> } | { kind: 'key'; keyId: string; name: string; role: Role; keyKind: 'write' | 'secret' };

/** `actor` (admins in Settings) writes the audit row with the account; seeds and tests may leave it out. */
export async function createUser(db: Db, input: { email: string; name: string; role: Role; password: string }, actor?: AuditActor): Promise<User> {
	const passwordHash = await hashPassword(input.password);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(users)
			.values({ id: randomUUID(), email: input.email.toLowerCase(), name: input.name, role: input.role, passwordHash })
			.returning();
		if (actor) await recordAudit(tx, actor, { action: 'user.create', targetType: 'user', targetId: row!.id, details: { email: row!.email, role: row!.role } });
		return row!;
	});
}

/** Gives the account another role; its sessions carry on with the new role at their next request. False when unknown or unchanged. */
export async function setUserRole(db: Db, userId: string, role: Role, actor?: AuditActor): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [before] = await tx.select({ role: users.role, email: users.email }).from(users).where(eq(users.id, userId)).for('update');
		if (!before || before.role === role) return false;
		await tx.update(users).set({ role }).where(eq(users.id, userId));
		if (actor)
			await recordAudit(tx, actor, {
				action: 'user.role_change',
				targetType: 'user',
				targetId: userId,
				details: { email: before.email, from: before.role, to: role }
			});
		return true;
	});
}

/**
 * Checks e-mail and password; returns a new session token (to put in a cookie) or null. Unknown and disabled
 * accounts cost the same scrypt work as a wrong password. A hash made with older parameters is replaced now
 * that the password is known.
 */
export async function login(db: Db, email: string, password: string, now = new Date()): Promise<{ token: string; user: User } | null> {
	const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
	if (!user) return burnPasswordCheck(password).then(() => null);
	if (!(await verifyPassword(password, user.passwordHash)) || user.disabledAt) return null;
	if (needsRehash(user.passwordHash))
		await db
			.update(users)
			.set({ passwordHash: await hashPassword(password) })
			.where(eq(users.id, user.id));
	const token = newToken('oc_sess');
	await db.insert(sessions).values({ tokenHash: sha256Hex(token), userId: user.id, expiresAt: idleDeadline(now, now) });
	return { token, user };
}

/** The session's next expiry: an idle timeout from now, never past the absolute lifetime from its creation. */
function idleDeadline(createdAt: Date, now: Date): Date {
	return new Date(Math.min(createdAt.getTime() + SESSION_TTL_MS, now.getTime() + SESSION_IDLE_MS));
}

/** Disables an account: it can no longer sign in and every session it has ends now. */
export async function disableUser(db: Db, userId: string, now = new Date(), actor?: AuditActor): Promise<boolean> {
	return db.transaction(async (tx) => {
		const rows = await tx
			.update(users)
			.set({ disabledAt: now })
			.where(and(eq(users.id, userId), isNull(users.disabledAt)))
			.returning({ id: users.id, email: users.email });
		await tx.delete(sessions).where(eq(sessions.userId, userId));
		if (rows[0] && actor)
			await recordAudit(tx, actor, { action: 'user.disable', targetType: 'user', targetId: userId, details: { email: rows[0].email } }, now);
		return rows.length > 0;
	});
}

export async function enableUser(db: Db, userId: string, actor?: AuditActor): Promise<boolean> {
	return db.transaction(async (tx) => {
		const rows = await tx.update(users).set({ disabledAt: null }).where(eq(users.id, userId)).returning({ id: users.id, email: users.email });
		if (rows[0] && actor) await recordAudit(tx, actor, { action: 'user.enable', targetType: 'user', targetId: userId, details: { email: rows[0].email } });
		return rows.length > 0;
	});
}

export async function logout(db: Db, token: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.tokenHash, sha256Hex(token)));
}

/** The signed-in user of a session cookie, or null (unknown, expired, idle too long, or the account disabled). */
export async function userForSession(db: Db, token: string, now = new Date()): Promise<Principal | null> {
	const tokenHash = sha256Hex(token);
	const [row] = await db
		.select({ id: users.id, email: users.email, name: users.name, role: users.role, createdAt: sessions.createdAt, expiresAt: sessions.expiresAt })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), isNull(users.disabledAt)));
	if (!row) return null;
	const next = idleDeadline(row.createdAt, now);
	if (next.getTime() - row.expiresAt.getTime() > TOUCH_EVERY_MS) await db.update(sessions).set({ expiresAt: next }).where(eq(sessions.tokenHash, tokenHash));
	const { createdAt: _c, expiresAt: _e, ...user } = row;
	return { kind: 'user', user };
}

/** Creates an API key; the clear key is returned once and never stored. */
export async function createApiKey(
	db: Db,
	input: { name: string; kind: 'write' | 'secret'; role: Role; key?: string },
	actor?: AuditActor
): Promise<{ id: string; key: string }> {
	const key = input.key ?? newToken(input.kind === 'write' ? 'oc_write' : 'oc_secret');
	const id = randomUUID();
	const prefix = key.slice(0, 12);
	await db.transaction(async (tx) => {
		await tx.insert(apiKeys).values({ id, name: input.name, kind: input.kind, role: input.role, keyHash: sha256Hex(key), prefix });
		if (actor)
			await recordAudit(tx, actor, {
				action: 'api_key.create',
				targetType: 'api_key',
				targetId: id,
				details: { name: input.name, kind: input.kind, role: input.role, prefix }
			});
	});
	return { id, key };
}

/**
 * Revokes a key: its callers get 401 from their next request to this process, and from other web processes within
 * WRITE_KEY_CACHE_MS for a write key (core/auth/key-cache.ts). False when unknown or already revoked.
 */
export async function revokeApiKey(db: Db, keyId: string, actor?: AuditActor, now = new Date()): Promise<boolean> {
	forgetWriteKeys(db);
	const revoked = await db.transaction(async (tx) => {
		const rows = await tx
			.update(apiKeys)
			.set({ revokedAt: now })
			.where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
			.returning({ name: apiKeys.name, prefix: apiKeys.prefix });
		if (rows[0] && actor) await recordAudit(tx, actor, { action: 'api_key.revoke', targetType: 'api_key', targetId: keyId, details: rows[0] }, now);
		return rows.length > 0;
	});
	// Again after the commit: a lookup that ran during the transaction may have cached the key as still valid.
	forgetWriteKeys(db);
	return revoked;
}

/** The key's principal; write keys come from a short-lived cache (key-cache.ts), the rest from the database. */
export async function principalForKey(db: Db, key: string): Promise<Principal | null> {
	const keyHash = sha256Hex(key);
	const cached = cachedWriteKey(db, keyHash);
	if (cached) return cached;
	const [row] = await db
		.select()
		.from(apiKeys)
		.where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
	if (!row) return null;
	const principal: Principal = { kind: 'key', keyId: row.id, name: row.name, role: row.role, keyKind: row.kind };
	rememberWriteKey(db, keyHash, principal);
	return principal;
}
