import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	BACK_IN_STOCK_EVENT,
	importStockCsv,
	knownSkus,
	listStores,
	quantitiesOf,
	setStock,
	stockKey,
	stockOfSkus,
	upsertProducts
} from '../../../core/commerce/index';
import type { DbHandle } from '../../../core/db/client';
import { events } from '../../../core/db/schema/events';
import { ingestMessages } from '../../../core/ingest/index';
import { dbKinds, freshDb } from '../../helpers/db';

const DAY = 86_400_000;

describe.each(dbKinds())('stores, products and stock on %s', (kind) => {
	let h: DbHandle;
	let ann: string;
	let bob: string;

	const backInStock = () =>
		h.db
			.select({ customerId: events.customerId, properties: events.properties, messageId: events.messageId, routedAt: events.routedAt })
			.from(events)
			.where(eq(events.name, BACK_IN_STOCK_EVENT));

	beforeAll(async () => {
		h = await freshDb(kind);
		await upsertProducts(h.db, [
			{ sku: 'shirt', name: 'Linen shirt', price: 59, currency: 'eur', category: 'tops' },
			{ sku: 'mug', name: 'Mug', price: 18, currency: 'EUR' },
			{ sku: 'jacket', name: 'Jacket', price: 89.5, currency: 'EUR' }
		]);
		const now = Date.now();
		const { accepted } = await ingestMessages(h.db, [
			{ type: 'identify', messageId: 'ann', userId: 'ann', traits: { preferred_store: 'paris-01' } },
			{
				type: 'track',
				messageId: 'ann-view',
				userId: 'ann',
				event: 'product_viewed',
				properties: { product_id: 'shirt' },
				timestamp: new Date(now - DAY).toISOString()
			},
			{
				type: 'track',
				messageId: 'ann-view-2',
				userId: 'ann',
				event: 'product_viewed',
				properties: { product_id: 'shirt' },
				timestamp: new Date(now - 2 * DAY).toISOString()
			},
			{ type: 'identify', messageId: 'bob', userId: 'bob' },
			{ type: 'track', messageId: 'bob-wish', userId: 'bob', event: 'product_wished', properties: { sku: 'shirt' } },
			// Interest in the jacket is too old to write about.
			{
				type: 'track',
				messageId: 'bob-old',
				userId: 'bob',
				event: 'product_viewed',
				properties: { product_id: 'jacket' },
				timestamp: new Date(now - 60 * DAY).toISOString()
			}
		]);
		ann = accepted.find((a) => a.messageId === 'ann')!.customerId;
		bob = accepted.find((a) => a.messageId === 'bob')!.customerId;
	});
	afterAll(() => h?.close());

	it('has the four stores the till always knew, with their time zones', async () => {
		const stores = await listStores(h.db);
		expect(stores.map((s) => s.id).sort()).toEqual(['bordeaux-01', 'brussels-01', 'lyon-01', 'paris-01']);
		expect(stores.find((s) => s.id === 'brussels-01')).toMatchObject({ name: 'Bruxelles Sablon', country: 'BE', timeZone: 'Europe/Brussels' });
	});

	it('sets absolute quantities idempotently; unknown stores and SKUs are refused with nothing written', async () => {
		await expect(
			setStock(h.db, 'paris-01', [
				{ sku: 'mug', quantity: 4 },
				{ sku: 'nope', quantity: 1 }
			])
		).rejects.toMatchObject({
			status: 422,
			code: 'unknown_skus',
			details: { skus: ['nope'] }
		});
		await expect(setStock(h.db, 'atlantis', [{ sku: 'mug', quantity: 1 }])).rejects.toMatchObject({ status: 404, code: 'store_not_found' });
		expect(await stockOfSkus(h.db, ['mug'])).toEqual([]);

		const first = await setStock(h.db, 'paris-01', [
			{ sku: 'mug', quantity: 4 },
			{ sku: 'jacket', quantity: 0 }
		]);
		expect(first.updated).toBe(2);
		const again = await setStock(h.db, 'paris-01', [
			{ sku: 'mug', quantity: 4 },
			{ sku: 'jacket', quantity: 0 }
		]);
		expect(again.restocked).toEqual([]);
		expect(
			await quantitiesOf(h.db, [
				{ storeId: 'paris-01', sku: 'mug' },
				{ storeId: 'lyon-01', sku: 'mug' }
			])
		).toEqual({ [stockKey('paris-01', 'mug')]: 4 });
		expect(await knownSkus(h.db, ['mug', 'x'])).toEqual(new Set(['mug']));
	});

	it('a SKU going from 0 to some emits back_in_stock once per interested customer and restock, and never again for the same restock', async () => {
		await setStock(h.db, 'paris-01', [{ sku: 'shirt', quantity: 0 }]);
		expect(await backInStock()).toEqual([]);
		const restock = await setStock(h.db, 'paris-01', [{ sku: 'shirt', quantity: 3 }]);
		expect(restock.restocked).toEqual([{ storeId: 'paris-01', sku: 'shirt' }]);
		expect(restock.eventIds).toHaveLength(2);
		const rows = await backInStock();
		expect(rows.map((r) => r.customerId).sort()).toEqual([ann, bob].sort());
		expect(rows[0]!.properties).toMatchObject({ sku: 'shirt', store_id: 'paris-01', store_name: 'Paris Marais', quantity: 3, name: 'Linen shirt' });
		expect(rows.every((r) => r.routedAt === null)).toBe(true); // the router's to deliver

		// More of it, the same again: no restock, nothing new.
		expect((await setStock(h.db, 'paris-01', [{ sku: 'shirt', quantity: 5 }])).eventIds).toEqual([]);
		expect((await setStock(h.db, 'paris-01', [{ sku: 'shirt', quantity: 5 }])).eventIds).toEqual([]);
		expect(await backInStock()).toHaveLength(2);

		// Sold out, then back: a new restock, new events.
		await setStock(h.db, 'paris-01', [{ sku: 'shirt', quantity: 0 }]);
		const second = await setStock(h.db, 'paris-01', [{ sku: 'shirt', quantity: 1 }]);
		expect(second.eventIds).toHaveLength(2);
		expect(await backInStock()).toHaveLength(4);

		// The jacket was only viewed two months ago: a restock writes to nobody.
		expect((await setStock(h.db, 'lyon-01', [{ sku: 'jacket', quantity: 2 }])).eventIds).toEqual([]);
	});

	it('a stock file is applied all or nothing: bad lines are reported with their numbers', async () => {
		const opts = { knownStores: new Set((await listStores(h.db)).map((s) => s.id)), knownSkus: (skus: string[]) => knownSkus(h.db, skus) };
		const bad = await importStockCsv(h.db, 'store,sku,quantity\nlyon-01,mug,7\natlantis,mug,1\nlyon-01,ghost,2\nlyon-01,jacket,x\n', opts);
		expect(bad).toEqual({
			ok: false,
			errors: [
				{ line: 3, message: 'There is no store “atlantis”.' },
				{ line: 4, message: 'The SKU ghost is not in the catalogue.' },
				{ line: 5, message: expect.stringContaining('“x” is not a whole number') }
			]
		});
		expect(await quantitiesOf(h.db, [{ storeId: 'lyon-01', sku: 'mug' }])).toEqual({});

		const good = await importStockCsv(h.db, 'lyon-01,mug,7\nbordeaux-01,mug,2\nbordeaux-01,shirt,0\n', opts);
		expect(good).toMatchObject({ ok: true, rows: 3 });
		const levels = await stockOfSkus(h.db, ['mug']);
		expect(levels.map((l) => [l.storeId, l.quantity])).toEqual([
			['bordeaux-01', 2],
			['lyon-01', 7],
			['paris-01', 4]
		]);
		const [row] = await h.db
			.select()
			.from(events)
			.where(and(eq(events.name, BACK_IN_STOCK_EVENT), eq(events.customerId, ann)));
		expect(row).toBeDefined();
	});
});
