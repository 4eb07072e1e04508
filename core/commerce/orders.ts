import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { carts, orders, type OrderChannel, type OrderFulfilment, type OrderLine, type OrderRow } from '../db/schema/orders';
import { inTransaction } from '../identity/tx';

/**
 * Orders, one per cart: online (shipped or collected in store) or sold at a till. Placing closes the cart in the
 * same transaction, so a cart is either still open or has exactly one order — a resent checkout, a double-tapped
 * till button or two tills scanning the same phone all meet the same order.
 */

export type { OrderLine, OrderRow };

/** Order ids are short and readable at a counter; derived from the cart so every retry names the same order. */
export function orderIdForCart(cartId: string): string {
	return `order-${cartId.replace(/-/g, '').slice(0, 10)}`;
}

export type PlaceOrderInput = {
	cartId: string;
	customerId: string | null;
	anonymousId: string | null;
	channel: OrderChannel;
	storeId?: string | null;
	fulfilment: OrderFulfilment;
	pickupStoreId?: string | null;
	items: OrderLine[];
	subtotalCents: number;
	discountCents: number;
	totalCents: number;
	currency: string;
	offerCode: string | null;
	buyerName?: string | null;
	buyerEmail?: string | null;
	now: Date;
};

export class OrderInputError extends Error {}

/** The order for this cart: created now (`created`), or the one an earlier attempt created. */
export async function placeOrder(db: Db, input: PlaceOrderInput): Promise<{ order: OrderRow; created: boolean }> {
	if (input.items.length === 0) throw new OrderInputError('An order needs at least one item.');
	if (input.fulfilment === 'pickup' && !input.pickupStoreId) throw new OrderInputError('A click-and-collect order needs a pickup store.');
	const id = orderIdForCart(input.cartId);
	return inTransaction(db, async (tx) => {
		const [created] = await tx
			.insert(orders)
			.values({
				id,
				cartId: input.cartId,
				customerId: input.customerId,
				anonymousId: input.anonymousId,
				channel: input.channel,
				storeId: input.storeId ?? null,
				fulfilment: input.fulfilment,
				pickupStoreId: input.fulfilment === 'pickup' ? input.pickupStoreId! : null,
				items: input.items,
				subtotalCents: input.subtotalCents,
				discountCents: input.discountCents,
				totalCents: input.totalCents,
				currency: input.currency,
				offerCode: input.offerCode,
				buyerName: input.buyerName ?? null,
				buyerEmail: input.buyerEmail ?? null,
				createdAt: input.now
			})
			.onConflictDoNothing({ target: orders.cartId })
			.returning();
		await tx
			.update(carts)
			.set({ status: input.channel === 'store' ? 'sold' : 'ordered', orderId: id, closedAt: input.now, updatedAt: input.now })
			.where(and(eq(carts.id, input.cartId), eq(carts.status, 'open')));
		if (created) return { order: created, created: true };
		const [existing] = await tx.select().from(orders).where(eq(orders.cartId, input.cartId));
		return { order: existing!, created: false };
	});
}

export async function orderById(db: Db, orderId: string): Promise<OrderRow | null> {
	const [row] = await db.select().from(orders).where(eq(orders.id, orderId));
	return row ?? null;
}

export async function orderForCart(db: Db, cartId: string): Promise<OrderRow | null> {
	const [row] = await db.select().from(orders).where(eq(orders.cartId, cartId));
	return row ?? null;
}

export async function ordersOfCustomer(db: Db, customerId: string, limit = 20): Promise<OrderRow[]> {
	return db.select().from(orders).where(eq(orders.customerId, customerId)).orderBy(desc(orders.createdAt)).limit(limit);
}

/**
 * The Segment `order_completed` properties for an order (Segment's e-commerce spec: amounts in currency units),
 * plus where it was bought and how it is fulfilled.
 */
export function orderCompletedProperties(order: OrderRow, extra: { storeName?: string | null } = {}): Record<string, unknown> {
	return {
		order_id: order.id,
		cart_id: order.cartId,
		channel: order.channel,
		...(order.storeId ? { store_id: order.storeId } : {}),
		...(order.storeId && extra.storeName ? { store_name: extra.storeName } : {}),
		fulfilment: order.fulfilment,
		...(order.pickupStoreId ? { pickup_store_id: order.pickupStoreId } : {}),
		total: order.totalCents / 100,
		subtotal: order.subtotalCents / 100,
		discount: order.discountCents / 100,
		coupon: order.offerCode,
		currency: order.currency,
		products: order.items.map((l) => ({ product_id: l.productId, name: l.name, quantity: l.qty, price: l.priceCents / 100 }))
	};
}
