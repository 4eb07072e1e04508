import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { dbKinds } from '../helpers/db';
import { startTestProduct, type TestProduct } from '../helpers/product';

type Json = Record<string, unknown> & { error?: { code: string; message: string; details?: unknown } };

describe.each(dbKinds())('stock and catalogue APIs on %s', (kind) => {
	let product: TestProduct;
	let admin: string;
	let store: string;

	async function api(method: string, path: string, body?: unknown, key: string | null = admin): Promise<{ status: number; body: Json }> {
		const res = await fetch(`${product.url}/api/v1${path}`, {
			method,
			headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
		});
		return { status: res.status, body: (await res.json()) as Json };
	}

	beforeAll(async () => {
		product = await startTestProduct(kind);
		admin = (await createApiKey(product.db.db, { name: 'backend', kind: 'secret', role: 'admin' })).key;
		store = (await createApiKey(product.db.db, { name: 'till', kind: 'secret', role: 'store' })).key;
	});
	afterAll(() => product?.stop());

	it('upserts products in bulk, idempotently, and lists them', async () => {
		const items = [
			{ sku: 'shirt', name: 'Linen shirt', price: 59.9, currency: 'eur', category: 'tops', imageUrl: 'https://img.example/shirt.jpg' },
			{ sku: 'mug', name: 'Mug', price: 18, currency: 'EUR' }
		];
		expect(await api('PUT', '/products', items)).toEqual({ status: 200, body: { upserted: 2 } });
		expect((await api('PUT', '/products', items)).status).toBe(200);
		const listed = await api('GET', '/products', undefined, store);
		expect(listed.body.products).toEqual([
			{ sku: 'shirt', name: 'Linen shirt', price: 59.9, currency: 'EUR', imageUrl: 'https://img.example/shirt.jpg', art: null, category: 'tops' },
			{ sku: 'mug', name: 'Mug', price: 18, currency: 'EUR', imageUrl: null, art: null, category: null }
		]);
		const bad = await api('PUT', '/products', [{ sku: 'has space', name: '', price: -1, currency: 'euro', imageUrl: 'javascript:alert(1)' }]);
		expect(bad.status).toBe(400);
		expect(bad.body.error!.code).toBe('invalid_request');
		expect((bad.body.error!.details as { path: string }[]).map((d) => d.path).sort()).toEqual(['0.currency', '0.imageUrl', '0.name', '0.price', '0.sku']);
	});

	it('sets a store’s stock in bulk (idempotent), reads it back by SKU, and refuses what it cannot apply', async () => {
		const lines = [
			{ sku: 'shirt', quantity: 3 },
			{ sku: 'mug', quantity: 0 }
		];
		const first = await api('PUT', '/stores/paris-01/stock', lines);
		expect(first).toEqual({ status: 200, body: { updated: 2, restocked: [{ storeId: 'paris-01', sku: 'shirt' }], backInStockEvents: 0 } });
		expect((await api('PUT', '/stores/paris-01/stock', lines)).body).toEqual({ updated: 2, restocked: [], backInStockEvents: 0 });

		const read = await api('GET', '/stores/paris-01/stock?sku=shirt,never-loaded', undefined, store);
		expect(read.status).toBe(200);
		expect(read.body.store).toEqual({ id: 'paris-01', name: 'Paris Marais' });
		expect((read.body.stock as { sku: string; quantity: number }[]).map((l) => [l.sku, l.quantity])).toEqual([
			['shirt', 3],
			['never-loaded', 0]
		]);
		const all = await api('GET', '/products?stock=true&sku=shirt');
		expect((all.body.products as { stock: { storeId: string; quantity: number }[] }[])[0]!.stock.map((s) => [s.storeId, s.quantity])).toEqual([
			['paris-01', 3]
		]);

		expect((await api('PUT', '/stores/atlantis/stock', lines)).body.error!.code).toBe('store_not_found');
		const unknown = await api('PUT', '/stores/paris-01/stock', [{ sku: 'ghost', quantity: 1 }]);
		expect(unknown.status).toBe(422);
		expect(unknown.body.error).toMatchObject({ code: 'unknown_skus', details: { skus: ['ghost'] } });
		expect((await api('PUT', '/stores/paris-01/stock', [{ sku: 'shirt', quantity: 1.5 }])).status).toBe(400);
		expect((await api('PUT', '/stores/paris-01/stock', [{ sku: 'shirt', quantity: -1 }])).status).toBe(400);
		expect((await api('PUT', '/stores/paris-01/stock', '{"not": "an array"}')).status).toBe(400);
		expect((await api('PUT', '/stores/paris-01/stock', '[{')).body.error!.code).toBe('invalid_json');
		expect((await api('GET', '/stores/paris-01/stock?sku=bad%20sku')).status).toBe(400);
	});

	it('lets admins (and admin secret keys) load stock; associates and write keys only read, or nothing', async () => {
		const lines = [{ sku: 'shirt', quantity: 1 }];
		expect((await api('PUT', '/stores/paris-01/stock', lines, store)).status).toBe(403);
		expect((await api('PUT', '/products', [{ sku: 'x', name: 'X', price: 1, currency: 'EUR' }], store)).status).toBe(403);
		expect((await api('PUT', '/stores/paris-01/stock', lines, product.writeKey)).status).toBe(403);
		expect((await api('GET', '/products', undefined, product.writeKey)).status).toBe(403);
		expect((await api('GET', '/stores/paris-01/stock', undefined, null)).status).toBe(401);
		const stores = await api('GET', '/stores', undefined, store);
		expect((stores.body.stores as { id: string }[]).map((s) => s.id)).toContain('brussels-01');
	});
});
