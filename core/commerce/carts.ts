import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { carts, type CartLineItem, type CartRow } from '../db/schema/orders';
import { customerFamily, survivorOf } from '../identity/lookup';
import { inTransaction, lockKeys, type Tx } from '../identity/tx';

/**
 * Carts kept server-side, one per person: the customer's open cart wherever they are signed in (any device whose
 * visitor resolves to the same customer, merges included), else the anonymous visitor's until ingest knows who
 * they are — at which point the visitor's cart is adopted by, or folded into, the customer's.
 */

export type { CartLineItem, CartRow };
/** Who the cart belongs to: the shop's visitor and, when identity resolution knows it, their customer. */
export type CartOwner = { customerId: string | null; anonymousId: string };

export const MAX_CART_LINES = 20;
export const MAX_LINE_QTY = 99;

/** Adds to a line (or creates it); quantity 0 removes it. Pure: the caller saves the result. */
export function withQuantity(items: readonly CartLineItem[], productId: string, qty: number, mode: 'add' | 'set'): CartLineItem[] {
	const current = items.find((i) => i.productId === productId)?.qty ?? 0;
	const next = Math.max(0, Math.min(MAX_LINE_QTY, mode === 'add' ? current + qty : qty));
	const others = items.filter((i) => i.productId !== productId);
	const result =
		next === 0 ? others : current === 0 ? [...others, { productId, qty: next }] : items.map((i) => (i.productId === productId ? { productId, qty: next } : i));
	return result.slice(0, MAX_CART_LINES);
}

/** Two carts' lines in one: quantities of the same product add up. */
export function mergeItems(into: readonly CartLineItem[], from: readonly CartLineItem[]): CartLineItem[] {
	let items = [...into];
	for (const line of from) items = withQuantity(items, line.productId, line.qty, 'add');
	return items;
}

const ownerLocks = (customerId: string | null, anonymousId: string) => [`cart:visitor:${anonymousId}`, ...(customerId ? [`cart:customer:${customerId}`] : [])];

async function openCustomerCart(tx: Tx, customerId: string): Promise<CartRow | undefined> {
	const family = await customerFamily(tx, customerId);
	const [row] = await tx
		.select()
		.from(carts)
		.where(and(inArray(carts.customerId, family), eq(carts.status, 'open')))
		.orderBy(desc(carts.updatedAt))
		.limit(1);
	return row;
}

async function openVisitorCart(tx: Tx, anonymousId: string): Promise<CartRow | undefined> {
	const [row] = await tx
		.select()
		.from(carts)
		.where(and(eq(carts.anonymousId, anonymousId), isNull(carts.customerId), eq(carts.status, 'open')));
	return row;
}

/**
 * The owner's open cart, or null. A visitor cart found beside a known customer is adopted (no customer cart yet) or
 * folded into the customer's (its lines added, its offer kept when the customer's cart has none).
 */
async function resolve(tx: Tx, owner: CartOwner, now: Date): Promise<CartRow | null> {
	const customerId = owner.customerId ? ((await survivorOf(tx, owner.customerId)) ?? owner.customerId) : null;
	await lockKeys(tx, ownerLocks(customerId, owner.anonymousId));
	const visitorCart = await openVisitorCart(tx, owner.anonymousId);
	if (!customerId) return visitorCart ?? null;
	const customerCart = await openCustomerCart(tx, customerId);
	if (!visitorCart) return customerCart ?? null;
	if (!customerCart) {
		const [adopted] = await tx.update(carts).set({ customerId, updatedAt: now }).where(eq(carts.id, visitorCart.id)).returning();
		return adopted!;
	}
	await tx.update(carts).set({ status: 'merged', closedAt: now, updatedAt: now }).where(eq(carts.id, visitorCart.id));
	const [merged] = await tx
		.update(carts)
		.set({ items: mergeItems(customerCart.items, visitorCart.items), offerCode: customerCart.offerCode ?? visitorCart.offerCode, updatedAt: now })
		.where(eq(carts.id, customerCart.id))
		.returning();
	return merged!;
}

/** The owner's open cart, or null when they have none (reading never creates one). */
export function findOpenCart(db: Db, owner: CartOwner, now = new Date()): Promise<CartRow | null> {
	return inTransaction(db, (tx) => resolve(tx, owner, now));
}

/** The owner's open cart, created empty when they have none. Two devices creating at once get the same row. */
export function openCart(db: Db, owner: CartOwner, now = new Date()): Promise<CartRow> {
	return inTransaction(db, async (tx) => {
		const found = await resolve(tx, owner, now);
		if (found) return found;
		const customerId = owner.customerId ? ((await survivorOf(tx, owner.customerId)) ?? owner.customerId) : null;
		const [created] = await tx
			.insert(carts)
			.values({ id: randomUUID(), customerId, anonymousId: owner.anonymousId, items: [], createdAt: now, updatedAt: now })
			.returning();
		return created!;
	});
}

export async function cartById(db: Db, cartId: string): Promise<CartRow | null> {
	const [row] = await db.select().from(carts).where(eq(carts.id, cartId));
	return row ?? null;
}

/** Changes an open cart's lines or offer; null when the cart was closed meanwhile (sold at a till, ordered on another device). */
export async function updateCart(
	db: Db,
	cartId: string,
	patch: { items?: CartLineItem[]; offerCode?: string | null },
	now = new Date()
): Promise<CartRow | null> {
	const [row] = await db
		.update(carts)
		.set({ ...patch, updatedAt: now })
		.where(and(eq(carts.id, cartId), eq(carts.status, 'open')))
		.returning();
	return row ?? null;
}

/**
 * Closes an open cart as ordered or sold (once: the first order wins; the row is returned either way). Its handoff
 * code stays, so a till typing it later is told the cart was already sold rather than that the code is unknown.
 */
export async function closeCart(db: Db, cartId: string, status: 'ordered' | 'sold', orderId: string, now = new Date()): Promise<CartRow | null> {
	await db
		.update(carts)
		.set({ status, orderId, closedAt: now, updatedAt: now })
		.where(and(eq(carts.id, cartId), eq(carts.status, 'open')));
	return cartById(db, cartId);
}
