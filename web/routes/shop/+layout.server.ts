import { vapidKeys } from '$core/channels/push/vapid';
import { formatOfferValue } from '$core/offers/index';
import { appEnv, database } from '$lib/server/context';
import { readCart } from './cart.server';
import { cartOffer } from './offer.server';
import { shopVisitor } from './session.server';
import type { LayoutServerLoad } from './$types';

/** Every shop page: who is browsing (landing links read here), the cart's size, and the promotion waiting for them. */
export const load = (async (event) => {
	const visitor = await shopVisitor(event);
	const cart = await readCart(event);
	const { offer } = await cartOffer((await database()).db, visitor, cart.code);
	return {
		cartCount: cart.items.reduce((n, i) => n + i.qty, 0),
		promo: offer ? { title: offer.title, value: formatOfferValue(offer), code: offer.code } : null,
		// The browser subscribes with our VAPID public key; only pushes signed by its private key reach it.
		pushKey: vapidKeys(appEnv()).publicKey
	};
}) satisfies LayoutServerLoad;
