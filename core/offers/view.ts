import type { Offer, OfferStatus } from '../db/schema/offers';

/**
 * The offer as every channel sees it: plain JSON (ISO dates, numeric value), so it crosses the HTTP API,
 * Temporal activity results and Liquid templates unchanged. `status` is the effective one: an active offer
 * past `expiresAt` reads as expired even before anything rewrites the row.
 */
export type OfferView = {
	id: string;
	code: string;
	title: string;
	kind: 'percent' | 'amount';
	value: number;
	currency: string | null;
	productScope: string[] | null;
	storeScope: string[] | null;
	status: OfferStatus;
	customerId: string;
	journeyId: string | null;
	enrollmentId: string | null;
	nodeId: string | null;
	expiresAt: string;
	createdAt: string;
	/** Held by a cart until `until`; null when free (or the hold lapsed). */
	reservation: { cartId: string; until: string } | null;
	redemption: { at: string; channel: string | null; orderId: string | null; storeId: string | null } | null;
};

export function effectiveStatus(offer: Pick<Offer, 'status' | 'expiresAt'>, now: Date): OfferStatus {
	return offer.status === 'active' && offer.expiresAt.getTime() <= now.getTime() ? 'expired' : offer.status;
}

export function isHeld(offer: Pick<Offer, 'reservedBy' | 'reservedUntil'>, now: Date): offer is Offer & { reservedBy: string; reservedUntil: Date } {
	return offer.reservedBy !== null && offer.reservedUntil !== null && offer.reservedUntil.getTime() > now.getTime();
}

export function toOfferView(offer: Offer, now: Date): OfferView {
	const status = effectiveStatus(offer, now);
	return {
		id: offer.id,
		code: offer.code,
		title: offer.title,
		kind: offer.kind,
		value: Number(offer.value),
		currency: offer.currency,
		productScope: offer.productScope,
		storeScope: offer.storeScope,
		status,
		customerId: offer.customerId,
		journeyId: offer.journeyId,
		enrollmentId: offer.enrollmentId,
		nodeId: offer.nodeId,
		expiresAt: offer.expiresAt.toISOString(),
		createdAt: offer.createdAt.toISOString(),
		reservation: status === 'active' && isHeld(offer, now) ? { cartId: offer.reservedBy, until: offer.reservedUntil.toISOString() } : null,
		redemption: offer.redeemedAt
			? { at: offer.redeemedAt.toISOString(), channel: offer.redeemedChannel, orderId: offer.redeemedOrderId, storeId: offer.redeemedStoreId }
			: null
	};
}

/** "20%" or "10.00 EUR": how templates and the till show the value. */
export function formatOfferValue(offer: Pick<OfferView, 'kind' | 'value' | 'currency'>): string {
	if (offer.kind === 'percent') return `${Number.isInteger(offer.value) ? offer.value : offer.value.toFixed(2)}%`;
	return `${offer.value.toFixed(2)}${offer.currency ? ` ${offer.currency}` : ''}`;
}
