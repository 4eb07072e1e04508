import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { loadEnv } from '../../core/config/env';
import { registerSharedDb, type DbHandle } from '../../core/db/client';
import { events } from '../../core/db/schema/events';
import { enrollments, stepLog } from '../../core/db/schema/journeys';
import { startProduct, type RunningProduct } from '../../scripts/product';
import { freePort, startDevServer, type DevServer } from '../../scripts/temporal/dev-server';
import { freshDb } from '../helpers/db';
import { linearJourney, publishTestJourney } from '../helpers/journeys';
import { timedFetch } from './processes';

const root = resolve(import.meta.dirname, '../..');
const TEMPORAL_CLIENT_KEY = Symbol.for('omnicanal.temporal-client');

/**
 * Temporal goes away during ingest and comes back (a dev server this test owns, on a SQLite file so its
 * workflows survive the restart; the product — worker, routing sweep, built web app — in this process, as
 * `npm start` runs it). Ingest keeps answering fast, health says which component is down within 2 s, outage
 * failures do not count as routing attempts, and once Temporal is back the sweep routes every waiting event at
 * once: each customer enrolled exactly once, each step run once.
 */
describe('Temporal stopped during ingest, then back', () => {
	let dir: string;
	let port: number;
	let temporal: DevServer;
	let db: DbHandle;
	let product: RunningProduct;
	let auth: string;

	const startTemporal = () => startDevServer({ port, uiPort: null, dbFile: join(dir, 'temporal.sqlite') });

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'omnicanal-rel-temporal-'));
		port = await freePort();
		temporal = await startTemporal();
		db = await freshDb('pglite');
		registerSharedDb(db);
		delete (globalThis as Record<symbol, unknown>)[TEMPORAL_CLIENT_KEY]; // the web app connects to our server
		Object.assign(process.env, {
			TEMPORAL_ADDRESS: temporal.address,
			TEMPORAL_NAMESPACE: temporal.namespace,
			TEMPORAL_TASK_QUEUE: 'reliability-outage',
			APP_SECRET: 'test-secret',
			DATA_DIR: dir
		});
		const env = loadEnv();
		product = await startProduct({ root, env, db, temporalAddress: temporal.address, port: 0, log: () => {} });
		const { key } = await createApiKey(db.db, { name: 'outage', kind: 'write', role: 'marketer' });
		auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
		await publishTestJourney(
			db,
			linearJourney({ id: 'trigger', type: 'trigger', entry: { kind: 'event', event: 'Signed Up' } }, [
				{ id: 'tag', type: 'updateProfile', set: { welcomed: true } }
			])
		);
	});
	afterAll(async () => {
		await product?.stop();
		const holder = globalThis as Record<symbol, Promise<{ connection: { close(): Promise<void> } }> | undefined>;
		const client = holder[TEMPORAL_CLIENT_KEY];
		delete holder[TEMPORAL_CLIENT_KEY];
		await client?.then((c) => c.connection.close()).catch(() => {});
		await temporal?.stop();
		await db?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	const signUp = (userId: string) =>
		timedFetch(`${product.url}/api/v1/track`, {
			method: 'POST',
			headers: { authorization: auth, 'content-type': 'application/json' },
			body: JSON.stringify({ userId, event: 'Signed Up' })
		});

	async function waitFor(what: string, check: () => Promise<boolean>, ms: number): Promise<number> {
		const t0 = performance.now();
		while (!(await check())) {
			if (performance.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
			await sleep(250);
		}
		return performance.now() - t0;
	}

	const unrouted = async () => (await db.db.select({ id: events.id }).from(events).where(isNull(events.routedAt))).length;
	const completed = async () => (await db.db.select({ id: enrollments.id }).from(enrollments).where(eq(enrollments.status, 'completed'))).length;

	it('keeps ingesting, reports the outage, and routes every waiting event once when Temporal is back', async () => {
		for (let i = 0; i < 3; i++) expect((await signUp(`before-${i}`)).status).toBe(200);
		await waitFor('the first enrollments to complete', async () => (await completed()) === 3, 30_000);

		await temporal.stop();
		const during = [];
		for (let i = 0; i < 12; i++) during.push(await signUp(`during-${i}`));
		for (const r of during) {
			expect(r.status).toBe(200); // the event is stored; routing waits for Temporal
			expect(r.ms).toBeLessThan(2_000);
		}
		const health = await timedFetch(`${product.url}/api/v1/health`);
		expect(health.status).toBe(503);
		expect(health.body).toMatchObject({ ok: false, database: { ok: true }, temporal: { ok: false }, worker: { ok: false } });
		expect(health.ms).toBeLessThan(2_000);

		await sleep(6_000); // a few sweeps find Temporal still down
		expect(await unrouted()).toBe(12);
		const attempts = await db.db.select({ n: events.routingAttempts }).from(events).where(isNull(events.routedAt));
		expect(attempts.every((a) => a.n === 0)).toBe(true); // an outage is not the events' fault: no back-off builds up

		temporal = await startTemporal();
		const routedIn = await waitFor('the waiting events to be routed', async () => (await unrouted()) === 0, 30_000);
		const doneIn = await waitFor('every enrollment to complete', async () => (await completed()) === 15, 60_000);
		console.log(
			`[temporal outage] 12 waiting events routed ${Math.round(routedIn)} ms after Temporal was back; all journeys done after ${Math.round(doneIn + routedIn)} ms`
		);
		expect(routedIn).toBeLessThan(15_000);

		// Exactly once: one enrollment per customer, and its step ran once.
		const rows = await db.db.select({ customerId: enrollments.customerId, n: enrollments.n, id: enrollments.id }).from(enrollments);
		expect(rows).toHaveLength(15);
		expect(new Set(rows.map((r) => r.customerId)).size).toBe(15);
		expect(rows.every((r) => r.n === 1)).toBe(true);
		for (const r of rows) {
			const tags = await db.db
				.select({ id: stepLog.id })
				.from(stepLog)
				.where(and(eq(stepLog.enrollmentId, r.id), eq(stepLog.nodeId, 'tag'), eq(stepLog.kind, 'completed')));
			expect(tags).toHaveLength(1);
		}
	});
});
