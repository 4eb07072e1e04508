import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/temporal/dev-server';
import { dbKinds } from '../helpers/db';
import { startTestProduct, type TestProduct } from '../helpers/product';

describe.each(dbKinds())('GET /api/v1/health on %s', (kind) => {
	let product: TestProduct;
	beforeAll(async () => {
		product = await startTestProduct(kind);
	});
	afterAll(async () => product?.stop());

	it('reports database, Temporal and worker as JSON', async () => {
		let body: { ok: boolean; database: { ok: boolean; detail: string }; temporal: { ok: boolean }; worker: { ok: boolean } } | undefined;
		// The worker's poller shows up a moment after it starts.
		for (let i = 0; i < 60 && !body?.ok; i++) {
			const res = await fetch(`${product.url}/api/v1/health`);
			body = await res.json();
			if (!body?.ok) await new Promise((r) => setTimeout(r, 500));
		}
		expect(body).toMatchObject({ ok: true, database: { ok: true }, temporal: { ok: true }, worker: { ok: true } });
		// Anonymous callers: no addresses, task queues or error text; the ingest backlog, as numbers.
		expect(body!.database.detail).toBe('operational');
		const text = JSON.stringify(body);
		expect(text).not.toContain(process.env.TEMPORAL_ADDRESS!);
		expect(text).not.toContain(product.taskQueue);
		expect(body).toMatchObject({ ingest: { ok: true, waiting: expect.any(Number), failed: 0, unrouted: expect.any(Number), lagMs: expect.any(Number) } });
		// A signed-in admin sees the details.
		const admin = await (await fetch(`${product.url}/api/v1/health`, { headers: { cookie: await product.sessionCookie('admin') } })).json();
		expect(admin.database.detail).toBe(kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL');
		expect(admin.worker.detail).toContain(product.taskQueue);
		const marketer = await (await fetch(`${product.url}/api/v1/health`, { headers: { cookie: await product.sessionCookie('marketer') } })).json();
		expect(marketer.worker.detail).toBe('operational');
	});

	it('answers within 2 s, per component, when Temporal is unreachable', async () => {
		// Point the web app at a port where nothing listens, with no client cached; restored afterwards.
		const holder = globalThis as Record<symbol, unknown>;
		const key = Symbol.for('omnicanal.temporal-client');
		const [savedClient, savedAddress] = [holder[key], process.env.TEMPORAL_ADDRESS];
		delete holder[key];
		process.env.TEMPORAL_ADDRESS = `127.0.0.1:${await freePort()}`;
		try {
			for (let i = 0; i < 2; i++) {
				const t0 = performance.now();
				const res = await fetch(`${product.url}/api/v1/health`);
				const ms = performance.now() - t0;
				expect(res.status).toBe(503);
				const body = await res.json();
				expect(body).toMatchObject({
					ok: false,
					database: { ok: true },
					temporal: { ok: false, detail: 'unavailable' },
					worker: { ok: false, detail: 'unavailable' }
				});
				expect(JSON.stringify(body)).not.toContain(process.env.TEMPORAL_ADDRESS!);
				expect(ms).toBeLessThan(2_000);
			}
		} finally {
			process.env.TEMPORAL_ADDRESS = savedAddress;
			holder[key] = savedClient;
		}
	});

	it('keeps APIs and pages behind authentication', async () => {
		const page = await fetch(`${product.url}/journeys`, { redirect: 'manual' });
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toMatch(/^\/login\?next=/);
	});
});
