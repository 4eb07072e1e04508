import { randomUUID } from 'node:crypto';
import { and, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers } from '../db/schema/customers';
import { events } from '../db/schema/events';

/** The event journeys trigger on when a SKU someone wanted is on a shelf again. */
export const BACK_IN_STOCK_EVENT = 'back_in_stock';
/** What counts as wanting a SKU: these events naming it as `sku` or `product_id` (Segment's e-commerce spec). */
export const INTEREST_EVENTS = ['product_viewed', 'product_wished'] as const;
/** How recent the interest must be: an item viewed a season ago is no reason to write. */
export const INTEREST_WINDOW_MS = 30 * 24 * 3600 * 1000;
/** At most this many customers per restock: a bound on the events one stock update can cause. */
export const MAX_CUSTOMERS_PER_RESTOCK = 1000;

export type Restock = { storeId: string; storeName: string; sku: string; productName: string; quantity: number; restockedAt: Date };

/**
 * Writes one `back_in_stock` event per restock and interested customer, in the caller's transaction (so a stock
 * update and the events it causes commit together). The message id names customer, store, SKU and restock:
 * a retry, or a second look at the same restock, writes nothing new. Returns the new events' ids for the router.
 */
export async function emitBackInStock(tx: Db, restocks: readonly Restock[], now: Date): Promise<string[]> {
	if (restocks.length === 0) return [];
	const skus = [...new Set(restocks.map((r) => r.sku))];
	const since = new Date(now.getTime() - INTEREST_WINDOW_MS);
	const wanted = sql<string>`coalesce(${events.properties}->>'sku', ${events.properties}->>'product_id')`;
	const rows = await tx
		.selectDistinct({ customerId: events.customerId, sku: wanted })
		.from(events)
		.innerJoin(customers, sql`${customers.id} = ${events.customerId}`)
		.where(
			and(
				inArray(events.name, [...INTEREST_EVENTS]),
				gte(events.timestamp, since),
				inArray(wanted, skus),
				isNull(customers.mergedInto),
				isNull(customers.erasedAt)
			)
		)
		.limit(MAX_CUSTOMERS_PER_RESTOCK * skus.length);
	const bySku = new Map<string, string[]>();
	for (const r of rows) {
		const list = bySku.get(r.sku) ?? [];
		if (list.length < MAX_CUSTOMERS_PER_RESTOCK) list.push(r.customerId);
		bySku.set(r.sku, list);
	}
	const values = restocks.flatMap((r) =>
		(bySku.get(r.sku) ?? []).map((customerId) => ({
			id: randomUUID(),
			messageId: `${BACK_IN_STOCK_EVENT}:${r.storeId}:${r.sku}:${r.restockedAt.toISOString()}:${customerId}`,
			type: 'track' as const,
			name: BACK_IN_STOCK_EVENT,
			customerId,
			properties: { sku: r.sku, product_id: r.sku, name: r.productName, store_id: r.storeId, store_name: r.storeName, quantity: r.quantity },
			context: { source: 'stock' },
			timestamp: now
		}))
	);
	const ids: string[] = [];
	// Chunks keep each INSERT well under PostgreSQL's 65,535 bind parameters.
	for (let i = 0; i < values.length; i += 1000) {
		const inserted = await tx
			.insert(events)
			.values(values.slice(i, i + 1000))
			.onConflictDoNothing()
			.returning({ id: events.id });
		ids.push(...inserted.map((e) => e.id));
	}
	return ids;
}
