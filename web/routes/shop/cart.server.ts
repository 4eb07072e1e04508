import { randomUUID } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import { findOpenCart, openCart, updateCart, withQuantity, type CartOwner, type CartRow } from '$core/commerce/carts';
import { database } from '$lib/server/context';
import { customerOf } from './offer.server';
import { shopVisitor, type Visitor } from './session.server';
import type { CartItem } from './pricing';

/**
 * The cart lives in Omnicanal's database (core/commerce/carts), one per customer: a customer on their phone and
 * their laptop sees one cart, and the store's till can take it over. It holds only product ids, quantities and a
 * promotion code; prices are always the catalogue's. `id` names the cart to Omnicanal: it holds the offer (reserve),
 * is the Idempotency-Key at checkout and names the order. A visitor who has no cart yet reads an empty one that is
 * saved on its first change.
 */
export type Cart = { id: string; items: CartItem[]; code?: string };

type ShopEvent = { request: Request; url: URL; cookies: Cookies };

/** Whose cart: the visitor, and the customer identity resolution made of them (both devices of one person meet there). */
export async function cartOwner(visitor: Visitor): Promise<CartOwner> {
	return { customerId: await customerOf((await database()).db, visitor), anonymousId: visitor.anonymousId };
}

function toCart(row: CartRow): Cart {
	return { id: row.id, items: row.items, ...(row.offerCode ? { code: row.offerCode } : {}) };
}

export function newCart(): Cart {
	return { id: randomUUID(), items: [] };
}

/** The visitor's cart as it is now (empty when they have none). */
export async function cartOfVisitor(visitor: Visitor): Promise<Cart> {
	const row = await findOpenCart((await database()).db, await cartOwner(visitor));
	return row ? toCart(row) : newCart();
}

export async function readCart(e: ShopEvent): Promise<Cart> {
	return cartOfVisitor(await shopVisitor(e));
}

/**
 * Saves the lines and code into the visitor's open cart (opened now if needed) and returns it as saved. If a till
 * sold the cart meanwhile, the change goes into the customer's next cart rather than into the sold one.
 */
export async function saveVisitorCart(visitor: Visitor, cart: Pick<Cart, 'items' | 'code'>): Promise<Cart> {
	const { db } = await database();
	const owner = await cartOwner(visitor);
	for (let attempt = 0; attempt < 3; attempt++) {
		const open = await openCart(db, owner);
		const saved = await updateCart(db, open.id, { items: cart.items, offerCode: cart.code ?? null });
		if (saved) return toCart(saved);
	}
	throw new Error('the cart kept closing while it was saved');
}

export async function writeCart(e: ShopEvent, cart: Pick<Cart, 'items' | 'code'>): Promise<Cart> {
	return saveVisitorCart(await shopVisitor(e), cart);
}

/** Adds to a line (or creates it); quantity 0 removes it. */
export function setQuantity(cart: Cart, productId: string, qty: number, mode: 'add' | 'set'): Cart {
	return { ...cart, items: withQuantity(cart.items, productId, qty, mode) };
}
