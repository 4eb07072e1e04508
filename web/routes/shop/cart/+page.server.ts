import { reserveOffer, type OfferView } from '$core/offers/index';
import { database } from '$lib/server/context';
import { CURRENCY } from '../catalog';
import { readCart } from '../cart.server';
import { cartOffer } from '../offer.server';
import { priceCart } from '../pricing';
import { shopVisitor } from '../session.server';
import { trackView } from '../tracking.server';
import { cartActions } from './actions.server';
import type { PageServerLoad } from './$types';

/** How long viewing the cart holds its offer against other carts (another device, another tab). */
const HOLD_MS = 30 * 60_000;

/**
 * The cart with the customer's promotion in it. A non-empty cart holds the offer (reserve), so the same code
 * cannot be spent in a second cart meanwhile; the store's till can still redeem it (a hold only blocks carts),
 * after which it simply disappears from here.
 */
export const load = (async (event) => {
	const { db } = await database();
	const visitor = await shopVisitor(event);
	const cart = readCart(event.cookies);
	const { offer, spent } = await cartOffer(db, visitor, cart.code);
	let applied: OfferView | null = null;
	let problem: string | null = null;
	if (offer && cart.items.length) {
		const held = await reserveOffer(db, { code: offer.code, cartId: cart.id, holdMs: HOLD_MS, now: new Date() });
		if (held.ok) applied = held.offer;
		else
			problem =
				held.error.code === 'reserved' ? 'It is in use in another cart right now (another device?). It comes back here within 30 minutes.' : held.error.message;
	}
	const priced = priceCart(cart.items, applied, CURRENCY);
	await trackView(event, visitor, [
		{
			type: 'track',
			event: 'cart_viewed',
			properties: {
				cart_id: cart.id,
				value: priced.totalCents / 100,
				currency: CURRENCY,
				coupon: applied?.code ?? null,
				products: priced.lines.map((l) => ({ product_id: l.product.id, quantity: l.qty, price: l.product.priceCents / 100 }))
			}
		}
	]);
	return { priced, offer, applied: applied !== null, problem, spent: spent && spent.status !== 'active' ? spent : null };
}) satisfies PageServerLoad;

export const actions = cartActions;
