import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { stockKey } from '../graph/conditions';
import { products as productsTable, stock as stockTable, stores as storesTable } from '../db/schema/stock';
import { emitBackInStock, type Restock } from './back-in-stock';
import { CommerceError } from './errors';
import { Sku } from './products';

export const StockLine = z.object({ sku: Sku, quantity: z.number().int('A quantity is a whole number.').min(0, 'A quantity is 0 or more.').max(1_000_000) });
export type StockLine = z.output<typeof StockLine>;
export const MAX_STOCK_LINES = 5000;
export const StockLines = z.array(StockLine).min(1).max(MAX_STOCK_LINES);

export type StockLevel = { storeId: string; sku: string; quantity: number; updatedAt: string };

export type StockUpdate = {
	/** Lines written (a SKU given twice counts once: its last quantity wins). */
	updated: number;
	/** SKUs that went from none to some at a store with this update. */
	restocked: { storeId: string; sku: string }[];
	/** `back_in_stock` events committed with the update, for the router. */
	eventIds: string[];
};

/** The store's name, or a 404 when there is no such store. */
async function storeName(db: Db, storeId: string): Promise<string> {
	const [row] = await db.select({ name: storesTable.name }).from(storesTable).where(eq(storesTable.id, storeId));
	if (!row) throw new CommerceError(404, 'store_not_found', `There is no store ${storeId}.`);
	return row.name;
}

/** Product names by SKU; any SKU the catalogue does not know is a 422 listing them (load products first). */
async function productNames(db: Db, skus: readonly string[]): Promise<Map<string, string>> {
	const rows = await db
		.select({ sku: productsTable.sku, name: productsTable.name })
		.from(productsTable)
		.where(inArray(productsTable.sku, [...skus]));
	const names = new Map(rows.map((r) => [r.sku, r.name]));
	const unknown = skus.filter((s) => !names.has(s));
	if (unknown.length)
		throw new CommerceError(
			422,
			'unknown_skus',
			`${unknown.length} SKU${unknown.length === 1 ? ' is' : 's are'} not in the catalogue: load them with PUT /api/v1/products first.`,
			{
				skus: unknown.slice(0, 100)
			}
		);
	return names;
}

/**
 * Sets absolute quantities of one store inside `tx` (idempotent: the same lines again change nothing). Whether a
 * line is a restock — none (or no row) before, some now — is decided by the upsert itself, so two updates racing
 * on one SKU cannot both count it. Restocks write their `back_in_stock` events in the same transaction.
 */
async function writeStoreStock(tx: Db, storeId: string, lines: readonly StockLine[], now: Date): Promise<StockUpdate> {
	const bySku = new Map(lines.map((l) => [l.sku, l.quantity]));
	const name = await storeName(tx, storeId);
	const names = await productNames(tx, [...bySku.keys()]);
	const values = [...bySku].map(([sku, quantity]) => ({ storeId, sku, quantity, updatedAt: now, restockedAt: quantity > 0 ? now : null }));
	const written: { sku: string; quantity: number; restockedAt: Date | null }[] = [];
	for (let i = 0; i < values.length; i += 2000) {
		written.push(
			...(await tx
				.insert(stockTable)
				.values(values.slice(i, i + 2000))
				.onConflictDoUpdate({
					target: [stockTable.storeId, stockTable.sku],
					set: {
						quantity: sql`excluded.quantity`,
						updatedAt: sql`excluded.updated_at`,
						restockedAt: sql`case when ${stockTable.quantity} = 0 and excluded.quantity > 0 then excluded.updated_at else ${stockTable.restockedAt} end`
					}
				})
				.returning({ sku: stockTable.sku, quantity: stockTable.quantity, restockedAt: stockTable.restockedAt }))
		);
	}
	const restocks: Restock[] = written
		.filter((w) => w.restockedAt?.getTime() === now.getTime())
		.map((w) => ({ storeId, storeName: name, sku: w.sku, productName: names.get(w.sku) ?? w.sku, quantity: w.quantity, restockedAt: now }));
	const eventIds = await emitBackInStock(tx, restocks, now);
	return { updated: values.length, restocked: restocks.map((r) => ({ storeId, sku: r.sku })), eventIds };
}

/** `PUT /api/v1/stores/{id}/stock`: absolute quantities for one store, all lines or none. */
export async function setStock(db: Db, storeId: string, lines: readonly StockLine[], now = new Date()): Promise<StockUpdate> {
	return db.transaction((tx) => writeStoreStock(tx as unknown as Db, storeId, lines, now));
}

/** Several stores at once (a CSV file), in one transaction. */
export async function setStockForStores(db: Db, byStore: ReadonlyMap<string, readonly StockLine[]>, now = new Date()): Promise<StockUpdate> {
	return db.transaction(async (tx) => {
		const total: StockUpdate = { updated: 0, restocked: [], eventIds: [] };
		for (const [storeId, lines] of byStore) {
			const one = await writeStoreStock(tx as unknown as Db, storeId, lines, now);
			total.updated += one.updated;
			total.restocked.push(...one.restocked);
			total.eventIds.push(...one.eventIds);
		}
		return total;
	});
}

const level = (r: { storeId: string; sku: string; quantity: number; updatedAt: Date }): StockLevel => ({
	storeId: r.storeId,
	sku: r.sku,
	quantity: r.quantity,
	updatedAt: r.updatedAt.toISOString()
});

/** A store's stock, all of it or only `skus`. */
export async function stockAt(db: Db, storeId: string, skus?: readonly string[]): Promise<StockLevel[]> {
	if (skus && skus.length === 0) return [];
	const rows = await db
		.select()
		.from(stockTable)
		.where(and(eq(stockTable.storeId, storeId), skus ? inArray(stockTable.sku, [...skus]) : undefined))
		.orderBy(asc(stockTable.sku));
	return rows.map(level);
}

/** Where `skus` are stocked, every store (rows only where a quantity was ever loaded). */
export async function stockOfSkus(db: Db, skus: readonly string[]): Promise<StockLevel[]> {
	if (skus.length === 0) return [];
	const rows = await db
		.select()
		.from(stockTable)
		.where(inArray(stockTable.sku, [...skus]))
		.orderBy(asc(stockTable.sku), asc(stockTable.storeId));
	return rows.map(level);
}

export { stockKey };

/** Quantities for exact (store, SKU) pairs, keyed by `stockKey` (core/graph's, which conditions read); a pair never loaded is absent (read it as 0). */
export async function quantitiesOf(db: Db, pairs: readonly { storeId: string; sku: string }[]): Promise<Record<string, number>> {
	const out: Record<string, number> = {};
	if (pairs.length === 0) return out;
	const rows = await db
		.select({ storeId: stockTable.storeId, sku: stockTable.sku, quantity: stockTable.quantity })
		.from(stockTable)
		.where(or(...pairs.map((p) => and(eq(stockTable.storeId, p.storeId), eq(stockTable.sku, p.sku)))));
	for (const r of rows) out[stockKey(r.storeId, r.sku)] = r.quantity;
	return out;
}
