import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/db/client';
import { users } from '../../core/db/schema/auth';
import { customers, identities } from '../../core/db/schema/customers';
import { events } from '../../core/db/schema/events';
import { journeys } from '../../core/db/schema/journeys';
import { storeTasks } from '../../core/db/schema/offers';
import { login } from '../../core/auth/accounts';
import { customerLookup } from '../../core/identity/index';
import { DEMO_JOURNEY_NAME } from '../../scripts/demo-data';
import { seed } from '../../scripts/seed';
import { dbKinds, freshDb } from '../helpers/db';

describe.each(dbKinds())('demo seed (%s)', (kind) => {
	let h: DbHandle;
	const creds = { adminEmail: 'admin@omnicanal.local', demo: true, writeKey: 'oc_write_test' };

	beforeAll(async () => {
		h = await freshDb(kind);
	});
	afterAll(async () => h?.close());

	async function counts() {
		const n = async (table: typeof users | typeof customers | typeof identities | typeof events | typeof journeys | typeof storeTasks) =>
			(await h.db.select({ n: count() }).from(table))[0]!.n;
		return {
			users: await n(users),
			customers: await n(customers),
			identities: await n(identities),
			events: await n(events),
			journeys: await n(journeys),
			tasks: await n(storeTasks)
		};
	}

	it('publishes the ad → store journey, stores the customers and Chloé’s ad click, and changes nothing when run again', async () => {
		const first = await seed(h.db, creds);
		// One random password per account, returned once for printing.
		expect(first.created.map((u) => u.role).sort()).toEqual(['admin', 'analyst', 'marketer', 'store']);
		expect(new Set(first.created.map((u) => u.password)).size).toBe(4);
		for (const u of first.created) expect(u.password).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(await login(h.db, 'store@omnicanal.local', first.created.find((u) => u.role === 'admin')!.password)).toBeNull();
		expect(await login(h.db, 'store@omnicanal.local', first.created.find((u) => u.role === 'store')!.password)).not.toBeNull();
		expect(first.landingPath).toMatch(/^\/shop\?oc_cid=[^&]+&fbclid=/);
		const [journey] = await h.db.select().from(journeys).where(eq(journeys.name, DEMO_JOURNEY_NAME));
		expect(journey).toMatchObject({ status: 'active', liveVersion: 1 });

		const chloe = await customerLookup(h.db, { phone: '06 12 34 56 78', region: 'FR' });
		expect(chloe?.traits.name).toBe('Chloé Dubois');
		expect(await customerLookup(h.db, { loyaltyId: 'LUM-100234' })).toMatchObject({ id: chloe!.id });
		const clicks = await h.db.select().from(events).where(eq(events.name, 'ad_clicked'));
		// Left for the routing sweep, which enrols her once Temporal is up.
		expect(clicks).toMatchObject([{ customerId: chloe!.id, routedAt: null }]);

		const before = await counts();
		expect(before).toMatchObject({ users: 4, customers: 3, journeys: 1, tasks: 1 });
		expect((await seed(h.db, creds)).created).toEqual([]);
		expect(await counts()).toEqual(before);
	});
});

describe('seed without DEMO', () => {
	it('creates the admin only, with ADMIN_PASSWORD, and resets it when ADMIN_PASSWORD changes', async () => {
		const h = await freshDb('pglite');
		try {
			const first = await seed(h.db, { adminEmail: 'boss@example.test', adminPassword: 'first-password-1', demo: false });
			expect(first).toEqual({ landingPath: null, created: [{ email: 'boss@example.test', role: 'admin', password: 'first-password-1', fromEnv: true }] });
			expect((await h.db.select({ n: count() }).from(users))[0]!.n).toBe(1);
			expect((await h.db.select({ n: count() }).from(customers))[0]!.n).toBe(0);
			await seed(h.db, { adminEmail: 'boss@example.test', adminPassword: 'second-password-2', demo: false });
			expect(await login(h.db, 'boss@example.test', 'first-password-1')).toBeNull();
			expect(await login(h.db, 'boss@example.test', 'second-password-2')).not.toBeNull();
		} finally {
			await h.close();
		}
	});
});
