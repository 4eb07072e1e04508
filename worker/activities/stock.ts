import { eq } from 'drizzle-orm';
import { quantitiesOf } from '../../core/commerce/stock';
import type { Db } from '../../core/db/client';
import { customers } from '../../core/db/schema/customers';
import { stockKey, stockTarget } from '../../core/graph/conditions';
import type { StockStoreSource } from '../../core/graph/nodes';
import { survivorOf } from '../../core/identity/lookup';
import type { z } from 'zod';

/**
 * Which of `skus` are on the shelf (at least one) of the store `store` names for this customer, read now — for an
 * offer that names only what the customer can find in their store. `storeId` null: no store known for them.
 */
export async function productsInStock(
	db: Db,
	customerId: string,
	skus: readonly string[],
	store: z.infer<typeof StockStoreSource>
): Promise<{ storeId: string | null; skus: string[] }> {
	const survivor = (await survivorOf(db, customerId)) ?? customerId;
	const [profile] = await db.select({ traits: customers.traits }).from(customers).where(eq(customers.id, survivor));
	const traits = profile?.traits ?? {};
	const storeId = stockTarget({ kind: 'stock', sku: { from: 'fixed', sku: 'any' }, store, minQuantity: 1 }, traits)?.storeId ?? null;
	if (storeId === null) return { storeId, skus: [] };
	const quantities = await quantitiesOf(
		db,
		skus.map((sku) => ({ storeId, sku }))
	);
	return { storeId, skus: skus.filter((sku) => (quantities[stockKey(storeId, sku)] ?? 0) > 0) };
}
