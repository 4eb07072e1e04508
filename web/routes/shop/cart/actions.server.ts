import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { orderCompletedProperties, orderIdForCart, placeOrder } from '$core/commerce/orders';
import { getStore } from '$core/commerce/stores';
import { findOffer, redeemOffer, releaseOffer, type OfferView } from '$core/offers/index';
import { database } from '$lib/server/context';
import { CURRENCY, productById } from '../catalog';
import { cartOwner, readCart, setQuantity, writeCart } from '../cart.server';
import { cartOffer, isOwnOffer } from '../offer.server';
import { priceCart } from '../pricing';
import { shopVisitor } from '../session.server';
import { sendShopEvents } from '../tracking.server';
import type { Actions, RequestEvent } from './$types';

const Checkout = z.object({
	email: z.email('Enter your e-mail address.').max(320),
	name: z.string().trim().max(200).optional(),
	fulfilment: z.enum(['ship', 'pickup']).default('ship'),
	store: z.string().max(64).optional(),
	key: z.uuid('Reload the page and place the order again.')
});

/** Why a code typed at the cart cannot be used, in the customer's words. */
const codeProblems: Record<string, string> = {
	redeemed: 'This code has already been used.',
	expired: 'This code has expired.',
	revoked: 'This code is no longer valid.'
};

async function checkout(event: RequestEvent) {
	const form = Object.fromEntries(await event.request.formData());
	const email = String(form.email ?? '');
	const parsed = Checkout.safeParse({
		email,
		name: form.name ? String(form.name) : undefined,
		fulfilment: form.fulfilment ? String(form.fulfilment) : undefined,
		store: form.store ? String(form.store) : undefined,
		key: String(form.key ?? '')
	});
	if (!parsed.success) return fail(400, { action: 'checkout' as const, email, message: parsed.error.issues[0]!.message });
	const { db } = await database();
	const pickupStore = parsed.data.fulfilment === 'pickup' ? await getStore(db, parsed.data.store) : undefined;
	if (parsed.data.fulfilment === 'pickup' && !pickupStore)
		return fail(400, { action: 'checkout' as const, email, message: 'Choose the store where you will collect your order.' });
	const visitor = await shopVisitor(event);
	const cart = await readCart(event);
	if (cart.items.length === 0) return fail(400, { action: 'checkout' as const, email, message: 'Your cart is empty.' });
	const orderId = orderIdForCart(cart.id);
	const { offer } = await cartOffer(db, visitor, cart.code);
	let redeemed: OfferView | null = null;
	if (offer) {
		// The form's key is the Idempotency-Key: a double-clicked "Place order" redeems once and gets the same answer.
		const result = await redeemOffer(db, {
			code: offer.code,
			channel: 'web',
			cartId: cart.id,
			orderId,
			idempotencyKey: `checkout:${parsed.data.key}`,
			now: new Date()
		});
		if (!result.answer.ok) {
			// That key now answers this refusal for good: the cart lets go of the code, and the next attempt (a new key) goes without it.
			await writeCart(event, { items: cart.items });
			return fail(409, {
				action: 'checkout' as const,
				email,
				message: `${offer.code} could not be applied: ${result.answer.error.message} Nothing was charged — check the new total and place the order again.`
			});
		}
		redeemed = result.answer.offer;
	}
	const priced = priceCart(cart.items, redeemed, CURRENCY);
	const owner = await cartOwner(visitor);
	// One order per cart: placing it closes the cart, so every device of the customer now shows an empty one.
	const { order } = await placeOrder(db, {
		cartId: cart.id,
		customerId: owner.customerId,
		anonymousId: owner.anonymousId,
		channel: 'web',
		fulfilment: pickupStore ? 'pickup' : 'ship',
		pickupStoreId: pickupStore?.id ?? null,
		items: priced.lines.map((l) => ({ productId: l.product.id, name: l.product.name, qty: l.qty, priceCents: l.product.priceCents })),
		subtotalCents: priced.subtotalCents,
		discountCents: priced.discountCents,
		totalCents: priced.totalCents,
		currency: CURRENCY,
		offerCode: redeemed?.code ?? null,
		buyerName: parsed.data.name ?? null,
		buyerEmail: parsed.data.email,
		now: new Date()
	});
	// messageId from the cart: a resent order is one order (ingest dedupes), counted once in the profile.
	// The demo has no accounts, so the e-mail typed at checkout is unverified: anyone can type anyone's. It travels
	// as a property of the order, never as `context.traits.email` — that would make it an identifier and merge
	// this visitor into whoever owns the address (their profile, their offers). A real shop sends `identify` with
	// the e-mail only once the person has proved it (signed in, clicked a confirmation link).
	const buyer = { email: parsed.data.email, ...(parsed.data.name ? { name: parsed.data.name } : {}) };
	const properties = { ...orderCompletedProperties(order), ...(pickupStore ? { pickup_store_name: pickupStore.name } : {}), buyer };
	await sendShopEvents(event, visitor, [{ type: 'track', event: 'order_completed', properties, messageId: `order_completed:${cart.id}` }]);
	return {
		action: 'checkout' as const,
		order: {
			id: order.id,
			totalCents: order.totalCents,
			discountCents: order.discountCents,
			code: redeemed?.code ?? order.offerCode,
			title: redeemed?.title ?? null,
			email: parsed.data.email,
			pickupStore: pickupStore ? { name: pickupStore.name, city: pickupStore.city } : null
		}
	};
}

export const cartActions = {
	/** Quantity change; 0 removes the line. An emptied cart lets go of its offer at once. */
	update: async (event) => {
		const form = await event.request.formData();
		const productId = String(form.get('productId') ?? '');
		const qty = Number(form.get('qty'));
		if (!productById(productId) || !Number.isInteger(qty) || qty < 0 || qty > 99)
			return fail(400, { action: 'update' as const, message: 'Choose a quantity between 0 and 99.' });
		const cart = await writeCart(event, setQuantity(await readCart(event), productId, qty, 'set'));
		if (cart.items.length === 0) {
			const { db } = await database();
			const { offer } = await cartOffer(db, await shopVisitor(event), cart.code);
			if (offer) await releaseOffer(db, { code: offer.code, cartId: cart.id, now: new Date() });
		}
		return { action: 'update' as const };
	},

	/** A code typed by the customer (from the e-mail or SMS): checked with the offers API before it goes in the cart. */
	applyCode: async (event) => {
		const code = String((await event.request.formData()).get('code') ?? '').trim();
		if (!code) return fail(400, { action: 'applyCode' as const, code, message: 'Enter a code.' });
		const { db } = await database();
		const offer = await findOffer(db, code, new Date());
		// Someone else's code answers like an unknown one: the cart neither applies it nor confirms it exists.
		if (!offer || !(await isOwnOffer(db, await shopVisitor(event), offer))) {
			return fail(404, { action: 'applyCode' as const, code, message: 'We do not know this code. Check it and try again.' });
		}
		if (offer.status !== 'active') return fail(409, { action: 'applyCode' as const, code, message: codeProblems[offer.status] ?? 'This code cannot be used.' });
		await writeCart(event, { ...(await readCart(event)), code: offer.code });
		return { action: 'applyCode' as const, message: `${offer.title} is in your cart.` };
	},

	checkout
} satisfies Actions;
