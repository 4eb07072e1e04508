import { and, eq } from 'drizzle-orm';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { demoProducts } from '../../core/commerce/demo-catalogue';
import { events } from '../../core/db/schema/events';
import { browserSuite, gotoHydrated } from '../helpers/browser';

/**
 * Stock where customers and associates see it: loaded through the stock API, shown on the demo shop's product
 * page for the visitor's chosen store (with collect-elsewhere and endless-aisle choices when the shelf is empty),
 * and on the store page's lookup, where an admin also loads a stock file and sees its bad lines inline.
 */
describe('stock on the shop and store pages', () => {
	const suite = browserSuite();

	async function put(path: string, body: unknown, key: string): Promise<void> {
		const res = await fetch(`${suite.product.url}/api/v1${path}`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
			body: JSON.stringify(body)
		});
		expect(res.status, await res.clone().text()).toBe(200);
	}

	beforeAll(async () => {
		const { key } = await createApiKey(suite.product.db.db, { name: 'shop backend', kind: 'secret', role: 'admin' });
		await put(
			'/products',
			demoProducts.map((p) => ({ sku: p.id, name: p.name, price: p.priceCents / 100, currency: 'EUR', art: p.art, category: p.category })),
			key
		);
		await put(
			'/stores/paris-01/stock',
			[
				{ sku: 'linen-shirt', quantity: 3 },
				{ sku: 'denim-jacket', quantity: 0 }
			],
			key
		);
		await put('/stores/lyon-01/stock', [{ sku: 'denim-jacket', quantity: 2 }], key);
	});

	it('shows "3 left at Paris Marais" once the visitor picks their store, and offers another store or endless aisle when the shelf is empty', async () => {
		const context = await suite.browser.newContext();
		const page = await context.newPage();
		const base = suite.product.url;
		await gotoHydrated(page, `${base}/shop/products/linen-shirt`);
		const box = page.getByTestId('store-stock');
		await box.getByLabel('Your store').selectOption('paris-01');
		await box.getByRole('button', { name: 'See stock' }).click();
		await expect.poll(() => box.getByTestId('shelf-stock').textContent()).toBe('3 left at Paris Marais');

		// The choice is remembered by the shop, and sent to Omnicanal as the trait preferred_store.
		const anon = (await context.cookies()).find((c) => c.name === 'oc_anon')!.value;
		// Ingest accepts first and its processor writes events shortly after: poll.
		const traitsSent = async () =>
			(
				await suite.product.db.db
					.select({ traits: events.traits })
					.from(events)
					.where(and(eq(events.type, 'identify'), eq(events.anonymousId, anon)))
			).map((e) => e.traits);
		await expect.poll(traitsSent).toContainEqual({ preferred_store: 'paris-01' });

		await gotoHydrated(page, `${base}/shop/products/denim-jacket`);
		await expect(box.getByTestId('shelf-stock').textContent()).resolves.toBe('Not on the shelf at Paris Marais');
		const alternatives = box.getByTestId('alternatives');
		await expect(alternatives.textContent()).resolves.toContain('2 left at Lyon Presqu’île');
		await expect(alternatives.getByRole('button', { name: 'Order in store, deliver home' }).count()).resolves.toBe(1);
		await alternatives.getByRole('button', { name: 'Order online, collect at Lyon Presqu’île' }).click();
		await page.waitForURL(`${base}/shop/cart?fulfillment=collect&store=lyon-01`);
		const added = async () =>
			(
				await suite.product.db.db
					.select({ properties: events.properties })
					.from(events)
					.where(and(eq(events.name, 'product_added'), eq(events.anonymousId, anon)))
			)[0]?.properties;
		await expect.poll(added).toMatchObject({ product_id: 'denim-jacket', fulfillment: 'collect', store_id: 'lyon-01', quantity: 1 });
		await context.close();
	});

	it('looks a product up across stores on the store page; a stock file with bad lines changes nothing and says which', async () => {
		const page = await suite.signedIn('admin', '/store');
		const lookup = page.getByTestId('stock-lookup');
		await lookup.getByLabel('Product or SKU').fill('denim');
		const product = lookup.locator('[data-sku="denim-jacket"]');
		await expect.poll(() => product.locator('tr[data-store="lyon-01"] [data-testid="stock-quantity"]').textContent()).toBe('2');
		await expect(product.locator('tr[data-store="paris-01"]').textContent()).resolves.toContain('(here)');
		await expect(product.locator('tr[data-store="paris-01"] [data-testid="stock-quantity"]').textContent()).resolves.toBe('none');

		const dir = mkdtempSync(join(tmpdir(), 'stock-csv-'));
		const bad = join(dir, 'bad.csv');
		writeFileSync(bad, 'store,sku,quantity\nparis-01,denim-jacket,5\nparis-01,ghost,1\nnowhere,denim-jacket,2\n');
		await lookup.getByLabel('Load a stock file').setInputFiles(bad);
		await lookup.getByRole('button', { name: 'Upload' }).click();
		const errors = lookup.getByTestId('stock-upload-errors');
		await errors.waitFor();
		await expect(errors.textContent()).resolves.toContain('Line 3: The SKU ghost is not in the catalogue.');
		await expect(errors.textContent()).resolves.toContain('Line 4: There is no store “nowhere”.');
		await expect(lookup.getByTestId('stock-upload-result').textContent()).resolves.toContain('Nothing was changed');
		await expect(product.locator('tr[data-store="paris-01"] [data-testid="stock-quantity"]').textContent()).resolves.toBe('none');

		const good = join(dir, 'good.csv');
		writeFileSync(good, 'store,sku,quantity\nparis-01,denim-jacket,5\n');
		await lookup.getByLabel('Load a stock file').setInputFiles(good);
		await lookup.getByRole('button', { name: 'Upload' }).click();
		await expect.poll(() => lookup.getByTestId('stock-upload-result').textContent()).toContain('Stock updated: 1 line, 1 back on a shelf');
		await expect.poll(() => product.locator('tr[data-store="paris-01"] [data-testid="stock-quantity"]').textContent()).toBe('5');
		await page.close();
	});

	it('shows the store page lookup to associates without the upload', async () => {
		const page = await suite.signedIn('store', '/store');
		const lookup = page.getByTestId('stock-lookup');
		await lookup.getByLabel('Product or SKU').fill('linen-shirt');
		await expect.poll(() => lookup.locator('[data-sku="linen-shirt"] tr[data-store="paris-01"] [data-testid="stock-quantity"]').textContent()).toBe('3');
		await expect(lookup.getByLabel('Load a stock file').count()).resolves.toBe(0);
		await page.close();
	});
});
