import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { openDb, type DbHandle } from '../../core/db/client';
import { migrate } from '../../core/db/migrate';
import { events } from '../../core/db/schema/events';
import { ingestInbox } from '../../core/db/schema/inbox';
import type {} from '../helpers/temporal'; // ProvidedContext['temporal']
import { postgresBinaries, startPgCluster, type PgCluster } from './pg-cluster';
import { startWeb, timedFetch, type Child } from './processes';

/** web/lib/server/unavailable.ts REQUEST_DEADLINE_MS, plus the client's own overhead on a busy 2-core machine. */
const DEADLINE_MS = 10_000 + 1_000;

type Result = { messageId: string; status: number; ms: number; body: unknown; headers: Headers };

/**
 * The production shape (`node build` on PostgreSQL) under a bounded ingest load while PostgreSQL restarts
 * (`pg_ctl restart -m fast`) and then stays down for a few seconds: every acknowledged event is stored, every
 * error is a 503 or 500 in our error shape, no request outlives the deadline, the process stays up, and its
 * connections come back by themselves.
 */
describe.skipIf(!postgresBinaries())('PostgreSQL restarts under ingest load', () => {
	let pg: PgCluster;
	let db: DbHandle;
	let web: Child & { url: string };
	let auth: string;

	beforeAll(async () => {
		pg = await startPgCluster();
		db = await openDb({ kind: 'postgres', url: pg.url, max: 2 });
		await migrate(db);
		const { key } = await createApiKey(db.db, { name: 'load', kind: 'write', role: 'marketer' });
		auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
		const temporal = inject('temporal');
		web = await startWeb({
			DATABASE_URL: pg.url,
			TEMPORAL_ADDRESS: temporal.address,
			TEMPORAL_NAMESPACE: temporal.namespace,
			TEMPORAL_TASK_QUEUE: `rel-${randomUUID().slice(0, 8)}`
		});
	});
	afterAll(async () => {
		await web?.stop('SIGKILL');
		await db?.close();
		await pg?.destroy();
	});

	it('keeps every acknowledged event, answers every request in time and in our shape, and stays up', async () => {
		const results: Result[] = [];
		let running = true;
		// 4 clients, ~25 requests a second each at most: well under the ingest rate limit (200/s per key).
		const client = async (n: number) => {
			for (let i = 0; running; i++) {
				const messageId = randomUUID();
				const res = await timedFetch(`${web.url}/api/v1/track`, {
					method: 'POST',
					headers: { authorization: auth, 'content-type': 'application/json' },
					body: JSON.stringify({ messageId, userId: `load-${n}-${i % 10}`, event: 'Page Viewed', properties: { i } })
				});
				results.push({ messageId, ...res });
				await sleep(40);
			}
		};
		const load = Promise.all([0, 1, 2, 3].map(client));

		await sleep(3_000);
		await pg.restart();
		await sleep(3_000);
		await pg.stop();
		await sleep(4_000);
		await pg.start();
		await sleep(4_000);
		running = false;
		await load;

		const ok = results.filter((r) => r.status >= 200 && r.status < 300);
		const failed = results.filter((r) => r.status < 200 || r.status >= 300);
		const slowest = Math.max(...results.map((r) => r.ms));
		console.log(
			`[postgres restart] ${results.length} requests: ${ok.length} ok, ` +
				`${failed.filter((r) => r.status === 503).length}×503, ${failed.filter((r) => r.status === 500).length}×500, ` +
				`other ${failed.filter((r) => r.status !== 503 && r.status !== 500).length}; slowest ${Math.round(slowest)} ms, ` +
				`>5 s: ${results.filter((r) => r.ms > 5_000).length}`
		);

		expect(web.alive(), web.output()).toBe(true);
		expect(ok.length).toBeGreaterThan(50);
		expect(failed.length).toBeGreaterThan(0); // the outage was seen
		for (const r of failed) {
			expect([500, 503], JSON.stringify(r.body)).toContain(r.status);
			expect(r.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
			if (r.status === 503) expect(r.headers.get('retry-after')).toBe('5');
		}
		expect(slowest).toBeLessThan(DEADLINE_MS);

		// Every acknowledged event is stored: in the inbox (no worker runs here to process it) or already an event
		// (the test's own pool reconnected by itself too).
		const stored = new Set<string>();
		const ids = ok.map((r) => r.messageId);
		for (let i = 0; i < ids.length; i += 500) {
			const chunk = ids.slice(i, i + 500);
			const rows = [
				...(await db.db.select({ messageId: events.messageId }).from(events).where(inArray(events.messageId, chunk))),
				...(await db.db.select({ messageId: ingestInbox.messageId }).from(ingestInbox).where(inArray(ingestInbox.messageId, chunk)))
			];
			for (const row of rows) stored.add(row.messageId);
		}
		expect(ids.filter((id) => !stored.has(id))).toEqual([]);

		// The web app's connections came back without a restart.
		const health = await timedFetch(`${web.url}/api/v1/track`, {
			method: 'POST',
			headers: { authorization: auth, 'content-type': 'application/json' },
			body: JSON.stringify({ messageId: randomUUID(), userId: 'after', event: 'Page Viewed' })
		});
		expect(health.status).toBe(200);
	});
});
