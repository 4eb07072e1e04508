import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { channelSettings } from '$core/channels/providers';
import { formatHandoffCode, issueHandoff } from '$core/commerce/cart-token';
import { listStores } from '$core/commerce/stores';
import { reserveOffer, type OfferView } from '$core/offers/index';
import { appEnv, database } from '$lib/server/context';
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

/** What the phone shows the till: the signed token as a QR code, and the short code to type instead. */
export type CartHandoff = { qr: string; code: string; expiresAt: string };

async function handoffFor(cartId: string): Promise<CartHandoff | null> {
	const handoff = await issueHandoff((await database()).db, channelSettings(appEnv()).appSecret, cartId);
	if (!handoff) return null;
	const svg = await QRCode.toString(handoff.token, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
	return {
		qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
		code: formatHandoffCode(handoff.code),
		expiresAt: handoff.expiresAt.toISOString()
	};
}

/**
 * The cart with the customer's promotion in it. A non-empty cart holds the offer (reserve), so the same code
 * cannot be spent in a second cart meanwhile; the store's till can still redeem it (a hold only blocks carts),
 * after which it simply disappears from here. A non-empty cart also shows its handoff for the till.
 */
export const load = (async (event) => {
	const { db } = await database();
	const visitor = await shopVisitor(event);
	const cart = await readCart(event);
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
	const stores = (await listStores(db)).map(({ id, name, city }) => ({ id, name, city }));
	// The product page sends "collect in store" choices here (`?fulfillment=collect&store=…`).
	const wanted = event.url.searchParams.get('store');
	const collect = event.url.searchParams.get('fulfillment') === 'collect' && stores.some((s) => s.id === wanted);
	return {
		priced,
		offer,
		applied: applied !== null,
		problem,
		spent: spent && spent.status !== 'active' ? spent : null,
		handoff: priced.lines.length ? await handoffFor(cart.id) : null,
		stores,
		fulfilment: collect ? { kind: 'pickup' as const, storeId: wanted } : { kind: 'ship' as const, storeId: null },
		// One key per rendered checkout form: a double-clicked "Place order" redeems once; a new attempt is a new key.
		checkoutKey: randomUUID()
	};
}) satisfies PageServerLoad;

export const actions = cartActions;
