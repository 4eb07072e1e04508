import type { Principal } from '../auth/accounts';
import { principalCan } from '../auth/route-access';
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

/*
 * A code is a bearer token: whoever reads it can redeem it. So it is shown in full only where it is used — the
 * till (store associates, who redeem), the customer's own channels (cart, e-mail, SMS), admins — and masked
 * everywhere else someone merely looks a customer up (analysts and marketers on the customer page and APIs):
 * `SPRING-7KQ4-M2XD` reads `SPRING-••••XD`, enough to tell two offers apart and to match what a customer reads out.
 */
const MASK = '••••';

/** `SPRING-7KQ4-M2XD` → `SPRING-••••XD`; `7KQ4-M2XD` → `••••XD`; any other code: its last two characters. */
export function maskCode(code: string): string {
	const groups = code.split('-');
	const prefix = groups.length > 2 ? `${groups.slice(0, -2).join('-')}-` : '';
	return `${prefix}${MASK}${code.slice(-2)}`;
}

/** Whether this caller sees whole codes: those who redeem them (store associates, admins, keys of those roles). */
export function seesFullCodes(principal: Principal | null): boolean {
	return principal !== null && principalCan(principal, 'offers:redeem');
}

/** The offer (any shape with a `code`) as this viewer may see it. */
export function offerForViewer<T extends { code: string }>(offer: T, fullCodes: boolean): T {
	return fullCodes ? offer : { ...offer, code: maskCode(offer.code) };
}

/** `text` with each of `codes` masked (timeline titles, message texts that quote a code). */
export function maskCodesIn(text: string, codes: readonly string[]): string {
	let out = text;
	for (const code of codes) if (code) out = out.split(code).join(maskCode(code));
	return out;
}
