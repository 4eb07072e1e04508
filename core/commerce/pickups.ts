import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, type OrderRow, type OrderStatus } from '../db/schema/orders';
import { ingestMessages } from '../ingest/ingest';
import { getStore } from './stores';

/**
 * Click & collect at the store: orders to prepare, ready on the shelf, collected. Each move is one conditional
 * UPDATE (so two associates pressing at once move it once) followed by its event through ingest — `order_ready`,
 * `order_picked_up` — under a messageId per order, so pressing again after a lost answer re-sends an event that
 * ingest recognises instead of a second one. The click-and-collect journey starts on `order_ready`.
 */

export type PickupStage = 'to_prepare' | 'ready' | 'collected';
export type Pickups = Record<PickupStage, OrderRow[]>;

const STAGE_STATUS: Record<PickupStage, OrderStatus> = { to_prepare: 'placed', ready: 'ready', collected: 'collected' };

/** A store's pickups by stage: every order still to prepare or waiting on the shelf, the latest collected ones. */
export async function pickupsAt(db: Db, storeId: string, opts: { collectedLimit?: number; limit?: number } = {}): Promise<Pickups> {
	const rows = await db
		.select()
		.from(orders)
		.where(and(eq(orders.pickupStoreId, storeId), isNotNull(orders.pickupStoreId), inArray(orders.status, ['placed', 'ready'])))
		.orderBy(orders.createdAt)
		.limit(opts.limit ?? 200);
	const collected = await db
		.select()
		.from(orders)
		.where(and(eq(orders.pickupStoreId, storeId), eq(orders.status, 'collected')))
		.orderBy(desc(orders.collectedAt))
		.limit(opts.collectedLimit ?? 10);
	return {
		to_prepare: rows.filter((o) => o.status === STAGE_STATUS.to_prepare),
		ready: rows.filter((o) => o.status === STAGE_STATUS.ready),
		collected
	};
}

export type PickupMove = 'ready' | 'collected';
export type PickupResult =
	{ ok: true; order: OrderRow; changed: boolean; eventIds: string[] } | { ok: false; code: 'not_found' | 'wrong_store' | 'not_ready'; message: string };

const EVENT: Record<PickupMove, string> = { ready: 'order_ready', collected: 'order_picked_up' };

/** The order's pickup event as the shop's own tracking would send it: same visitor, so the same customer. */
function pickupMessage(order: OrderRow, move: PickupMove, at: Date, storeName: string | null) {
	return {
		type: 'track' as const,
		event: EVENT[move],
		anonymousId: order.anonymousId!,
		messageId: `${EVENT[move]}:${order.id}`,
		timestamp: at.toISOString(),
		properties: {
			order_id: order.id,
			store_id: order.pickupStoreId,
			store_name: storeName ?? order.pickupStoreId,
			total: order.totalCents / 100,
			currency: order.currency,
			products: order.items.map((l) => ({ product_id: l.productId, name: l.name, quantity: l.qty }))
		},
		context: { source: 'store' }
	};
}

/**
 * Moves a pickup at `storeId` to ready (from to-prepare) or collected (from to-prepare or ready) and emits its event.
 * Already there (or beyond): nothing changes, and the event is re-sent under the same messageId (a no-op in ingest).
 */
export async function movePickup(db: Db, input: { orderId: string; storeId: string; to: PickupMove; now: Date }): Promise<PickupResult> {
	const from: OrderStatus[] = input.to === 'ready' ? ['placed'] : ['placed', 'ready'];
	const stamp = input.to === 'ready' ? { readyAt: input.now } : { collectedAt: input.now };
	const [moved] = await db
		.update(orders)
		.set({ status: input.to, ...stamp })
		.where(and(eq(orders.id, input.orderId), eq(orders.pickupStoreId, input.storeId), inArray(orders.status, from)))
		.returning();
	const order = moved ?? (await db.select().from(orders).where(eq(orders.id, input.orderId)))[0];
	if (!order || order.fulfilment !== 'pickup') return { ok: false, code: 'not_found', message: 'No click-and-collect order has this number.' };
	if (order.pickupStoreId !== input.storeId) {
		const other = (await getStore(db, order.pickupStoreId))?.name ?? order.pickupStoreId;
		return { ok: false, code: 'wrong_store', message: `This order is collected at ${other}, not here.` };
	}
	const reached = input.to === 'ready' ? order.status === 'ready' || order.status === 'collected' : order.status === 'collected';
	if (!reached) return { ok: false, code: 'not_ready', message: 'This order cannot move there.' };
	if (!order.anonymousId) return { ok: true, order, changed: moved !== undefined, eventIds: [] };
	// Collected straight from "to prepare" (the customer came while it was packed) sends no `order_ready`: an SMS
	// "your order is ready" after they left with it would be noise.
	const messages = [pickupMessage(order, input.to, input.now, (await getStore(db, order.pickupStoreId))?.name ?? null)];
	const result = await ingestMessages(db, messages);
	return { ok: true, order, changed: moved !== undefined, eventIds: result.eventIds };
}
