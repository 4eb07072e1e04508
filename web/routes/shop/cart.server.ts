import { randomUUID } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import { z } from 'zod';
import type { CartItem } from './pricing';

/**
 * The cart lives in a cookie: the demo shop has no database of its own (a real shop keeps carts in its own
 * backend). It holds only product ids, quantities and a promotion code; prices are always the catalogue's.
 * `id` names the cart to Omnicanal: it holds the offer (reserve) and is the Idempotency-Key at checkout.
 */
export type Cart = { id: string; items: CartItem[]; code?: string };

const CART_COOKIE = 'oc_cart';
const MAX_LINES = 20;

const CartCookie = z.object({
	id: z.uuid(),
	items: z.array(z.object({ productId: z.string().max(64), qty: z.number().int().min(1).max(99) })).max(MAX_LINES),
	code: z.string().max(100).optional()
});

export function newCart(): Cart {
	return { id: randomUUID(), items: [] };
}

/** A missing or tampered cookie is simply a new, empty cart. */
export function readCart(cookies: Cookies): Cart {
	const raw = cookies.get(CART_COOKIE);
	if (!raw) return newCart();
	try {
		const parsed = CartCookie.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
		return parsed.success ? parsed.data : newCart();
	} catch {
		return newCart();
	}
}

export function writeCart(cookies: Cookies, cart: Cart, url: URL): void {
	const value = Buffer.from(JSON.stringify(cart)).toString('base64url');
	cookies.set(CART_COOKIE, value, { path: '/shop', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: 30 * 24 * 3600 });
}

/** Adds to a line (or creates it); quantity 0 removes it. */
export function setQuantity(cart: Cart, productId: string, qty: number, mode: 'add' | 'set'): Cart {
	const current = cart.items.find((i) => i.productId === productId)?.qty ?? 0;
	const next = Math.max(0, Math.min(99, mode === 'add' ? current + qty : qty));
	const others = cart.items.filter((i) => i.productId !== productId);
	const items =
		next === 0
			? others
			: current === 0
				? [...others, { productId, qty: next }]
				: cart.items.map((i) => (i.productId === productId ? { productId, qty: next } : i));
	return { ...cart, items: items.slice(0, MAX_LINES) };
}
