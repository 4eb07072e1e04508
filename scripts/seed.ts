import { eq } from 'drizzle-orm';
import { createApiKey, createUser } from '../core/auth/accounts';
import type { Db } from '../core/db/client';
import { apiKeys, users } from '../core/db/schema/auth';
import { seedDemo } from './demo-data';

export type SeedCredentials = { adminEmail: string; adminPassword: string; writeKey: string };
/** `landingPath`: the demo customer's ad link into the shop, for the start script to print after the web app's URL. */
export type SeedResult = { landingPath: string };

/**
 * Demo data for the embedded default: an admin, one user per role, an ingest write key, and the demo story (see
 * demo-data.ts: the live ad → store journey, customers, a store task, and Chloé's ad click). Idempotent: what
 * exists is left alone, so a restart keeps everything the user changed.
 */
export async function seed(db: Db, creds: SeedCredentials): Promise<SeedResult> {
	const people = [
		{ email: creds.adminEmail, name: 'Admin', role: 'admin' as const },
		{ email: 'marketer@omnicanal.local', name: 'Maya Marketer', role: 'marketer' as const },
		{ email: 'analyst@omnicanal.local', name: 'Ari Analyst', role: 'analyst' as const },
		{ email: 'store@omnicanal.local', name: 'Sam Store', role: 'store' as const }
	];
	for (const p of people) {
		const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, p.email));
		if (!existing) await createUser(db, { ...p, password: creds.adminPassword });
	}
	const [key] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.name, 'Demo write key'));
	if (!key) await createApiKey(db, { name: 'Demo write key', kind: 'write', role: 'marketer', key: creds.writeKey });
	return seedDemo(db);
}
