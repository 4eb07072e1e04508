import { customerByIdentity, survivorOf } from '$core/identity/index';
import { activeOffersFor, findOffer, type OfferView } from '$core/offers/index';
import type { Db } from '$core/db/client';
import type { Visitor } from './session.server';

/*
 * Which promotion the cart carries, decided with the offers API's own functions (what GET /api/v1/offers and
 * GET /api/v1/offers/{code} answer), never by reading tables: the demo shows what a real shop integration does.
 */

export type CartOffer = {
	/** The usable offer to apply, or null. */
	offer: OfferView | null;
	/** The code the cart carried (from the ad link or typed) when it can no longer be used: say why. */
	spent: OfferView | null;
};

/** The customer this visitor is: by their anonymous id first, else the id the landing link named. */
export async function customerOf(db: Db, visitor: Visitor): Promise<string | null> {
	const byAnonymousId = await customerByIdentity(db, 'anonymousId', visitor.anonymousId);
	if (byAnonymousId || !visitor.ref) return byAnonymousId;
	return (await survivorOf(db, visitor.ref)) ?? (await customerByIdentity(db, 'anonymousId', visitor.ref));
}

/**
 * Whether `offer` is this visitor's own: a code is personal (granted to one customer by a journey), so a code
 * seen over someone's shoulder or guessed does nothing in another visitor's cart.
 */
export async function isOwnOffer(db: Db, visitor: Visitor, offer: OfferView): Promise<boolean> {
	const customerId = await customerOf(db, visitor);
	if (!customerId) return false;
	const [mine, owner] = await Promise.all([survivorOf(db, customerId), survivorOf(db, offer.customerId)]);
	return mine !== null && mine === owner;
}

/**
 * The code in the cart wins while it is usable and the visitor's own (they followed their link or typed it); otherwise the
 * customer's own offers, soonest to expire first — that is how "the promotion from the ad is already in the
 * cart" on a device that never saw the ad. An offer redeemed elsewhere (at the store) is no longer active, so
 * it is never offered again.
 */
export async function cartOffer(db: Db, visitor: Visitor, code: string | undefined, now = new Date()): Promise<CartOffer> {
	const found = code ? await findOffer(db, code, now) : null;
	const carried = found && (await isOwnOffer(db, visitor, found)) ? found : null;
	if (carried?.status === 'active') return { offer: carried, spent: null };
	const customerId = await customerOf(db, visitor);
	const offers = customerId ? await activeOffersFor(db, customerId, now) : [];
	return { offer: offers[0] ?? null, spent: carried };
}
