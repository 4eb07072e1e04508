import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { cartById, type CartRow } from '$core/commerce/carts';
import { findHandoff, handoffMessages } from '$core/commerce/cart-token';
import { orderCompletedProperties, orderForCart, orderIdForCart, placeOrder } from '$core/commerce/orders';
import { movePickup } from '$core/commerce/pickups';
import { quantitiesOf, stockKey } from '$core/commerce/stock';
import { getStore } from '$core/commerce/stores';
import { channelSettings } from '$core/channels/providers';
import type { Db } from '$core/db/client';
import { survivorOf } from '$core/identity/index';
import { ingestMessages } from '$core/ingest/index';
import { activeOffersFor, findOffer, redeemOffer, releaseOffer, type OfferErrorCode, type OfferView } from '$core/offers/index';
import { requirePage } from '$lib/server/auth';
import { appEnv, database } from '$lib/server/context';
import { notifyRouter } from '$lib/server/routing';
import { storeCustomer } from '$lib/server/store-desk';
import { priceCart, pricedProduct, type PricedProduct } from '$core/commerce/pricing';
import { listProducts } from '$core/commerce/products';
import type { RequestEvent } from './$types';

/*
 * The till takes over a phone's cart: the associate scans the QR code on the customer's cart page (or types its
 * short code), sees the items with their prices, the stock here and the customer's offers, and completes the sale.
 * A sale is one order per cart (idempotent by cart id), one `order_completed` with `channel: 'store'` through
 * ingest, the chosen offer redeemed once, and the cart closed — so the phone's cart is empty afterwards.
 */

export type TillLine = { productId: string; name: string; qty: number; unitCents: number; lineCents: number; inStock: number | null };
export type TillCart = {
	cartId: string;
	currency: string;
	/** Items whose product is not in Omnicanal's catalogue: not priced, not sold here (the associate is told). */
	unknown: { productId: string; qty: number }[];
	lines: TillLine[];
	subtotalCents: number;
	customer: { id: string; name: string | null; email: string | null; phone: string | null } | null;
	/** Usable here, soonest to expire first; `chosen` is the cart's own offer when it has one. */
	offers: OfferView[];
	chosen: string | null;
};
export type TillSale = { orderId: string; totalCents: number; discountCents: number; currency: string; offerCode: string | null; offerTitle: string | null };

const secret = () => channelSettings(appEnv()).appSecret;

/** Words for the associate when the offer cannot be redeemed at the sale. */
const offerMessages: Partial<Record<OfferErrorCode, string>> = {
	already_redeemed: 'This offer was already used. Complete the sale without it, or choose another.',
	expired: 'This offer has expired. Complete the sale without it, or choose another.',
	not_eligible: 'This offer is not valid in this store.',
	reserved: 'This offer is held by another cart right now. Try again in a moment.'
};

async function ownerOf(db: Db, cart: CartRow): Promise<string | null> {
	return cart.customerId ? await survivorOf(db, cart.customerId) : null;
}

/**
 * The cart's products as Omnicanal's catalogue has them (`PUT /api/v1/products`): the till sells at the catalogue's
 * price, whatever site filled the cart. The currency is the catalogue's (one per shop).
 */
async function cartCatalogue(db: Db, cart: CartRow): Promise<{ productById: (id: string) => PricedProduct | undefined; currency: string }> {
	const products = (await listProducts(db, { skus: [...new Set(cart.items.map((i) => i.productId))] })).map(pricedProduct);
	const byId = new Map(products.map((p) => [p.id, p]));
	return { productById: (id) => byId.get(id), currency: products[0]?.currency ?? 'EUR' };
}

async function tillCart(db: Db, cart: CartRow, storeId: string): Promise<TillCart> {
	const { productById, currency } = await cartCatalogue(db, cart);
	const priced = priceCart(cart.items, productById, null, currency);
	const stock = await quantitiesOf(
		db,
		priced.lines.map((l) => ({ storeId, sku: l.product.id }))
	);
	const customerId = await ownerOf(db, cart);
	const customer = customerId ? await storeCustomer(db, customerId) : null;
	const offers = customerId ? (await activeOffersFor(db, customerId, new Date())).filter((o) => !o.storeScope || o.storeScope.includes(storeId)) : [];
	const inCatalogue = new Set(priced.lines.map((l) => l.product.id));
	return {
		cartId: cart.id,
		currency,
		unknown: cart.items.filter((i) => !inCatalogue.has(i.productId)).map((i) => ({ productId: i.productId, qty: i.qty })),
		lines: priced.lines.map((l) => ({
			productId: l.product.id,
			name: l.product.name,
			qty: l.qty,
			unitCents: l.product.priceCents,
			lineCents: l.lineCents,
			inStock: stock[stockKey(storeId, l.product.id)] ?? null
		})),
		subtotalCents: priced.subtotalCents,
		customer: customer ? { id: customer.id, name: customer.name, email: customer.email, phone: customer.phone } : null,
		offers,
		chosen: offers.find((o) => o.code === cart.offerCode)?.code ?? offers[0]?.code ?? null
	};
}

const OpenForm = z.object({
	handoff: z.string().trim().min(1, 'Scan the QR code or type the code from the customer’s phone.').max(2000),
	storeId: z.string().min(1).max(64)
});
const SaleForm = z.object({ cartId: z.uuid(), storeId: z.string().min(1).max(64), offer: z.string().trim().max(100).optional() });

type TillFailure = { action: 'tillCart' | 'tillSale'; message: string; handoff?: string };

/** Scan or typed code → the cart on the till's screen, or why not. */
async function openTillCart(event: RequestEvent) {
	requirePage(event.locals.principal, 'store:work');
	const form = Object.fromEntries(await event.request.formData());
	const parsed = OpenForm.safeParse(form);
	const handoff = String(form.handoff ?? '').slice(0, 2000);
	if (!parsed.success) return fail(400, { action: 'tillCart', handoff, message: parsed.error.issues[0]!.message } satisfies TillFailure);
	const { db } = await database();
	const store = await getStore(db, parsed.data.storeId);
	if (!store) return fail(400, { action: 'tillCart', handoff, message: 'Choose the store you are in.' } satisfies TillFailure);
	const found = await findHandoff(db, secret(), parsed.data.handoff);
	if (!found.ok) {
		const order = found.problem === 'used' && found.cart?.orderId ? ` (order ${found.cart.orderId})` : '';
		return fail(found.problem === 'used' ? 409 : found.problem === 'expired' ? 410 : 404, {
			action: 'tillCart',
			handoff,
			message: `${handoffMessages[found.problem].replace(/\.$/, '')}${order}.`
		} satisfies TillFailure);
	}
	if (found.cart.items.length === 0) return fail(409, { action: 'tillCart', handoff, message: 'This cart is empty.' } satisfies TillFailure);
	return { action: 'tillCart' as const, message: 'Cart opened.', cart: await tillCart(db, found.cart, store.id) };
}

/** Completes the sale of a cart taken over at this till; pressing twice (or two tills) makes one sale. */
async function sellTillCart(event: RequestEvent) {
	requirePage(event.locals.principal, 'store:work');
	const form = Object.fromEntries(await event.request.formData());
	const parsed = SaleForm.safeParse(form);
	if (!parsed.success) return fail(400, { action: 'tillSale', message: 'Open the customer’s cart again.' } satisfies TillFailure);
	const { db } = await database();
	const now = new Date();
	const store = await getStore(db, parsed.data.storeId);
	const cart = await cartById(db, parsed.data.cartId);
	if (!store || !cart) return fail(404, { action: 'tillSale', message: 'This cart no longer exists. Scan it again.' } satisfies TillFailure);
	if (cart.status !== 'open') {
		const earlier = await orderForCart(db, cart.id);
		// The same sale again (a double tap, a lost answer): answer what it made.
		if (earlier?.channel === 'store' && earlier.storeId === store.id)
			return {
				action: 'tillSale' as const,
				message: 'Sale complete.',
				sale: {
					orderId: earlier.id,
					totalCents: earlier.totalCents,
					discountCents: earlier.discountCents,
					currency: earlier.currency,
					offerCode: earlier.offerCode,
					offerTitle: null
				} satisfies TillSale
			};
		return fail(409, {
			action: 'tillSale',
			message: `${handoffMessages.used.replace(/\.$/, '')}${cart.orderId ? ` (order ${cart.orderId})` : ''}.`
		} satisfies TillFailure);
	}
	if (cart.items.length === 0) return fail(409, { action: 'tillSale', message: 'This cart is empty.' } satisfies TillFailure);
	const orderId = orderIdForCart(cart.id);
	const customerId = await ownerOf(db, cart);
	const eventIds: string[] = [];
	let redeemed: OfferView | null = null;
	if (parsed.data.offer) {
		requirePage(event.locals.principal, 'offers:redeem');
		const offer = await findOffer(db, parsed.data.offer, now);
		const mine = offer && customerId !== null && (await survivorOf(db, offer.customerId)) === customerId;
		if (!offer || !mine) return fail(404, { action: 'tillSale', message: 'This offer is not the customer’s. Open the cart again.' } satisfies TillFailure);
		// The customer is at the till: a hold by another of their carts (another tab) gives way, as at the Redeem button.
		if (offer.reservation && offer.reservation.cartId !== cart.id) await releaseOffer(db, { code: offer.code, cartId: offer.reservation.cartId, now });
		const result = await redeemOffer(db, {
			code: offer.code,
			channel: 'store',
			storeId: store.id,
			cartId: cart.id,
			orderId,
			idempotencyKey: `till:${cart.id}:${offer.code}`,
			now
		});
		if (!result.answer.ok) {
			return fail(result.status, { action: 'tillSale', message: offerMessages[result.answer.error.code] ?? result.answer.error.message } satisfies TillFailure);
		}
		redeemed = result.answer.offer;
		eventIds.push(...result.eventIds);
	}
	const { productById, currency } = await cartCatalogue(db, cart);
	const priced = priceCart(cart.items, productById, redeemed, currency);
	const { order } = await placeOrder(db, {
		cartId: cart.id,
		customerId,
		anonymousId: cart.anonymousId,
		channel: 'store',
		storeId: store.id,
		fulfilment: 'in_store',
		items: priced.lines.map((l) => ({ productId: l.product.id, name: l.product.name, qty: l.qty, priceCents: l.product.priceCents })),
		subtotalCents: priced.subtotalCents,
		discountCents: priced.discountCents,
		totalCents: priced.totalCents,
		currency,
		offerCode: redeemed?.code ?? null,
		now
	});
	// The sale reaches journeys as the shop's own order event would: same visitor (so the same customer), one per cart.
	if (cart.anonymousId) {
		const ingested = await ingestMessages(db, [
			{
				type: 'track',
				event: 'order_completed',
				anonymousId: cart.anonymousId,
				messageId: `order_completed:${cart.id}`,
				timestamp: now.toISOString(),
				properties: orderCompletedProperties(order, { storeName: store.name }),
				context: { source: 'store' }
			}
		]);
		eventIds.push(...ingested.eventIds);
	}
	notifyRouter(eventIds);
	return {
		action: 'tillSale' as const,
		message: 'Sale complete.',
		sale: {
			orderId: order.id,
			totalCents: order.totalCents,
			discountCents: order.discountCents,
			currency: order.currency,
			offerCode: order.offerCode,
			offerTitle: redeemed?.title ?? null
		} satisfies TillSale
	};
}

const PickupForm = z.object({ orderId: z.string().min(1).max(100), storeId: z.string().min(1).max(64) });

/** "Ready" and "Collected" on the store's pickup list. */
function pickupAction(to: 'ready' | 'collected') {
	return async (event: RequestEvent) => {
		requirePage(event.locals.principal, 'store:work');
		const parsed = PickupForm.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { action: 'pickup' as const, orderId: '', message: 'Choose an order.' });
		const { db } = await database();
		const result = await movePickup(db, { orderId: parsed.data.orderId, storeId: parsed.data.storeId, to, now: new Date() });
		if (!result.ok) return fail(result.code === 'not_found' ? 404 : 409, { action: 'pickup' as const, orderId: parsed.data.orderId, message: result.message });
		notifyRouter(result.eventIds);
		const message = to === 'ready' ? `${result.order.id} is ready: the customer is told by SMS.` : `${result.order.id} was collected.`;
		return { action: 'pickup' as const, orderId: result.order.id, message };
	};
}

export const tillActions = {
	tillCart: openTillCart,
	tillSale: sellTillCart,
	pickupReady: pickupAction('ready'),
	pickupCollected: pickupAction('collected')
};
