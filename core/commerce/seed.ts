import type { Db } from '../db/client';
import { DEMO_CURRENCY, demoProducts, demoStock } from './demo-catalogue';
import { getProduct, upsertProducts } from './products';
import { setStock } from './stock';

/** Loads the demo catalogue and stock once: a restart keeps whatever stock was set since (by the API, a file, the demo). */
export async function seedDemoCatalogue(db: Db, now = new Date()): Promise<void> {
	if (await getProduct(db, demoProducts[0]!.id)) return;
	await upsertProducts(
		db,
		demoProducts.map((p) => ({
			sku: p.id,
			name: p.name,
			price: p.priceCents / 100,
			currency: DEMO_CURRENCY,
			art: p.art,
			category: p.category,
			imageUrl: null
		})),
		now
	);
	for (const [storeId, lines] of Object.entries(demoStock)) {
		await setStock(
			db,
			storeId,
			Object.entries(lines).map(([sku, quantity]) => ({ sku, quantity })),
			now
		);
	}
}
