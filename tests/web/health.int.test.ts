import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
		expect(body!.database.detail).toBe(kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL');
	});

	it('keeps APIs and pages behind authentication', async () => {
		const page = await fetch(`${product.url}/journeys`, { redirect: 'manual' });
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toMatch(/^\/login\?next=/);
	});
});
