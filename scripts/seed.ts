import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createApiKey, createUser } from '../core/auth/accounts';
import { hashPassword, verifyPassword } from '../core/auth/passwords';
import type { Db } from '../core/db/client';
import { apiKeys, users, type Role } from '../core/db/schema/auth';
import { seedDemo } from './demo-data';

export type SeedOptions = {
	adminEmail: string;
	/** ADMIN_PASSWORD: the admin's password, also to reset it; when unset a random one is made once. */
	adminPassword?: string;
	/** DEMO: also the demo users (one per role), the demo write key and the demo story. */
	demo: boolean;
	writeKey?: string;
};
/** An account made by this run, with its password in clear: print it now, it is not kept anywhere. */
export type SeededUser = { email: string; role: Role; password: string; fromEnv: boolean };
/** `landingPath`: the demo customer's ad link into the shop, for the start script to print after the web app's URL. */
export type SeedResult = { landingPath: string | null; created: SeededUser[] };

/** 16 random bytes, base64url: about 128 bits, typed once from the start log into a password manager. */
export function randomPassword(): string {
	return randomBytes(16).toString('base64url');
}

/**
 * The first admin, and with DEMO the demo: one user per role, an ingest write key, and the demo story (see
 * demo-data.ts). Every account gets its own random password, returned once for printing and stored only as a
 * hash. Idempotent: what exists is left alone, so a restart keeps everything the user changed — except that
 * a set ADMIN_PASSWORD which no longer matches resets the admin's password (how a lost one is recovered).
 */
export async function seed(db: Db, options: SeedOptions): Promise<SeedResult> {
	const people = [
		{ email: options.adminEmail, name: 'Admin', role: 'admin' as const, password: options.adminPassword },
		...(options.demo
			? [
					{ email: 'marketer@omnicanal.local', name: 'Maya Marketer', role: 'marketer' as const, password: undefined },
					{ email: 'analyst@omnicanal.local', name: 'Ari Analyst', role: 'analyst' as const, password: undefined },
					{ email: 'store@omnicanal.local', name: 'Sam Store', role: 'store' as const, password: undefined }
				]
			: [])
	];
	const created: SeededUser[] = [];
	for (const p of people) {
		const [existing] = await db.select({ id: users.id, passwordHash: users.passwordHash }).from(users).where(eq(users.email, p.email.toLowerCase()));
		if (!existing) {
			const password = p.password ?? randomPassword();
			await createUser(db, { email: p.email, name: p.name, role: p.role, password });
			created.push({ email: p.email, role: p.role, password, fromEnv: p.password !== undefined });
		} else if (p.password !== undefined && !(await verifyPassword(p.password, existing.passwordHash))) {
			await db
				.update(users)
				.set({ passwordHash: await hashPassword(p.password) })
				.where(eq(users.id, existing.id));
		}
	}
	if (!options.demo) return { landingPath: null, created };
	const [key] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.name, 'Demo write key'));
	if (!key && options.writeKey) await createApiKey(db, { name: 'Demo write key', kind: 'write', role: 'marketer', key: options.writeKey });
	const { landingPath } = await seedDemo(db);
	return { landingPath, created };
}
