import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createApiKey,
	createUser,
	disableUser,
	enableUser,
	login,
	principalForKey,
	revokeApiKey,
	SESSION_IDLE_MS,
	SESSION_TTL_MS,
	userForSession
} from '../../../core/auth/accounts';
import { cachedWriteKey, WRITE_KEY_CACHE_MS } from '../../../core/auth/key-cache';
import { sha256Hex } from '../../../core/auth/tokens';
import { hashPassword } from '../../../core/auth/passwords';
import type { DbHandle } from '../../../core/db/client';
import { apiKeys, sessions, users } from '../../../core/db/schema/auth';
import { dbKinds, freshDb } from '../../helpers/db';

describe.each(dbKinds())('accounts (%s)', (kind) => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await freshDb(kind);
	});
	afterAll(async () => h?.close());

	it('rehashes a password stored with older scrypt parameters at the next sign-in', async () => {
		const user = await createUser(h.db, { email: 'old@example.test', name: 'Old', role: 'analyst', password: 'old-password-1' });
		await h.db
			.update(users)
			.set({ passwordHash: await hashPassword('old-password-1', { N: 2 ** 14, r: 8, p: 1 }) })
			.where(eq(users.id, user.id));
		expect(await login(h.db, 'old@example.test', 'old-password-1')).not.toBeNull();
		const [row] = await h.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id));
		expect(row!.hash).toMatch(/^scrypt\$N=131072,r=8,p=1\$/);
		expect(await login(h.db, 'old@example.test', 'old-password-1')).not.toBeNull();
	});

	it('disabling a user ends their sessions and refuses their sign-in; enabling lets them back', async () => {
		const user = await createUser(h.db, { email: 'leaver@example.test', name: 'Leaver', role: 'store', password: 'leaver-password' });
		const session = await login(h.db, 'leaver@example.test', 'leaver-password');
		expect(await userForSession(h.db, session!.token)).toMatchObject({ kind: 'user', user: { id: user.id } });
		expect(await disableUser(h.db, user.id)).toBe(true);
		expect(await userForSession(h.db, session!.token)).toBeNull();
		expect(await h.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
		expect(await login(h.db, 'leaver@example.test', 'leaver-password')).toBeNull();
		expect(await enableUser(h.db, user.id)).toBe(true);
		expect(await login(h.db, 'leaver@example.test', 'leaver-password')).not.toBeNull();
	});

	it('ends a session idle longer than the idle timeout, keeps an active one alive up to the absolute lifetime', async () => {
		await createUser(h.db, { email: 'idle@example.test', name: 'Idle', role: 'store', password: 'idle-password-1' });
		const t0 = new Date('2026-11-30T08:00:00Z');
		const s = await login(h.db, 'idle@example.test', 'idle-password-1', t0);
		await h.db.update(sessions).set({ createdAt: t0 });
		const at = (ms: number) => new Date(t0.getTime() + ms);
		// Active every 11 hours: still signed in after 3 days.
		for (let ms = 11 * 3600_000; ms < 3 * 24 * 3600_000; ms += 11 * 3600_000) expect(await userForSession(h.db, s!.token, at(ms)), `at ${ms}`).not.toBeNull();
		const idle = await login(h.db, 'idle@example.test', 'idle-password-1', t0);
		expect(await userForSession(h.db, idle!.token, at(SESSION_IDLE_MS - 60_000))).not.toBeNull();
		expect(await userForSession(h.db, idle!.token, at(2 * SESSION_IDLE_MS))).toBeNull();
		expect(await userForSession(h.db, s!.token, at(SESSION_TTL_MS + 1000))).toBeNull();
	});

	it('answers the same for an unknown e-mail and a wrong password', async () => {
		expect(await login(h.db, 'nobody@example.test', 'whatever')).toBeNull();
		expect(await login(h.db, 'idle@example.test', 'whatever')).toBeNull();
	});

	it('serves a write key from a short cache; revoking it here refuses it at once, elsewhere within the cache time', async () => {
		const write = await createApiKey(h.db, { name: 'Shop', kind: 'write', role: 'marketer' });
		const principal = await principalForKey(h.db, write.key);
		expect(principal).toMatchObject({ kind: 'key', keyId: write.id, keyKind: 'write' });
		// Another web process revokes it (a direct update here): this process keeps accepting it until the entry expires.
		await h.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, write.id));
		expect(await principalForKey(h.db, write.key)).toEqual(principal);
		expect(cachedWriteKey(h.db, sha256Hex(write.key), Date.now() + WRITE_KEY_CACHE_MS + 1)).toBeUndefined();
		expect(await principalForKey(h.db, write.key)).toBeNull();

		// Revoked through this process: refused from the next request.
		const other = await createApiKey(h.db, { name: 'App', kind: 'write', role: 'marketer' });
		expect(await principalForKey(h.db, other.key)).not.toBeNull();
		expect(await revokeApiKey(h.db, other.id)).toBe(true);
		expect(await principalForKey(h.db, other.key)).toBeNull();
	});

	it('always looks secret keys up: a revocation anywhere refuses them at once', async () => {
		const secret = await createApiKey(h.db, { name: 'Admin API', kind: 'secret', role: 'admin' });
		expect(await principalForKey(h.db, secret.key)).toMatchObject({ keyId: secret.id, keyKind: 'secret' });
		expect(cachedWriteKey(h.db, sha256Hex(secret.key))).toBeUndefined();
		await h.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, secret.id));
		expect(await principalForKey(h.db, secret.key)).toBeNull();
	});
});
