import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { apiKeys, sessions, users, type Role, type User } from '../db/schema/auth';
import { hashPassword, verifyPassword } from './passwords';
import { newToken, sha256Hex } from './tokens';

const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export type Principal = { kind: 'user'; user: Pick<User, 'id' | 'email' | 'name' | 'role'> } | { kind: 'key'; keyId: string; name: string; role: Role; keyKind: 'write' | 'secret' };

export async function createUser(db: Db, input: { email: string; name: string; role: Role; password: string }): Promise<User> {
	const [row] = await db
		.insert(users)
		.values({ id: randomUUID(), email: input.email.toLowerCase(), name: input.name, role: input.role, passwordHash: await hashPassword(input.password) })
		.returning();
	return row!;
}

/** Checks e-mail and password; returns a new session token (to put in a cookie) or null. */
export async function login(db: Db, email: string, password: string): Promise<{ token: string; user: User } | null> {
	const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
	if (!user || !(await verifyPassword(password, user.passwordHash))) return null;
	const token = newToken('oc_sess');
	await db.insert(sessions).values({ tokenHash: sha256Hex(token), userId: user.id, expiresAt: new Date(Date.now() + SESSION_TTL_MS) });
	return { token, user };
}

export async function logout(db: Db, token: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.tokenHash, sha256Hex(token)));
}

export async function userForSession(db: Db, token: string): Promise<Principal | null> {
	const [row] = await db
		.select({ id: users.id, email: users.email, name: users.name, role: users.role })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(and(eq(sessions.tokenHash, sha256Hex(token)), gt(sessions.expiresAt, new Date())));
	return row ? { kind: 'user', user: row } : null;
}

/** Creates an API key; the clear key is returned once and never stored. */
export async function createApiKey(db: Db, input: { name: string; kind: 'write' | 'secret'; role: Role; key?: string }): Promise<{ id: string; key: string }> {
	const key = input.key ?? newToken(input.kind === 'write' ? 'oc_write' : 'oc_secret');
	const id = randomUUID();
	await db.insert(apiKeys).values({ id, name: input.name, kind: input.kind, role: input.role, keyHash: sha256Hex(key), prefix: key.slice(0, 12) });
	return { id, key };
}

export async function principalForKey(db: Db, key: string): Promise<Principal | null> {
	const [row] = await db.select().from(apiKeys).where(and(eq(apiKeys.keyHash, sha256Hex(key)), isNull(apiKeys.revokedAt)));
	return row ? { kind: 'key', keyId: row.id, name: row.name, role: row.role, keyKind: row.kind } : null;
}
