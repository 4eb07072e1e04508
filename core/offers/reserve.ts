import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { offers } from '../db/schema/offers';
import { usableWhere, whyUnavailable } from './availability';
import { normalizeCode } from './codes';
import { offerError, type OfferError } from './errors';
import { isHeld, toOfferView, type OfferView } from './view';

export type OfferOutcome = { ok: true; offer: OfferView } | { ok: false; error: OfferError };

/** A cart holds an offer for a while (15 minutes by default, at most a day) so another device cannot use it. */
export const DEFAULT_HOLD_MS = 15 * 60_000;
export const MAX_HOLD_MS = 24 * 3600_000;

/**
 * Holds the offer for a cart. Holding again from the same cart extends the hold; another cart's live hold
 * refuses with `reserved`. The hold only blocks other carts: it never outlives the offer's own expiry.
 */
export async function reserveOffer(db: Db, input: { code: string; cartId: string; holdMs?: number; now: Date }): Promise<OfferOutcome> {
	const code = normalizeCode(input.code);
	const holdMs = Math.min(Math.max(input.holdMs ?? DEFAULT_HOLD_MS, 1000), MAX_HOLD_MS);
	const ctx = { now: input.now, cartId: input.cartId, checkStore: false };
	const [held] = await db
		.update(offers)
		.set({ reservedBy: input.cartId, reservedUntil: new Date(input.now.getTime() + holdMs) })
		.where(usableWhere(code, ctx))
		.returning();
	if (held) return { ok: true, offer: toOfferView(held, input.now) };
	const [row] = await db.select().from(offers).where(eq(offers.code, code));
	return { ok: false, error: offerError(whyUnavailable(row, ctx) ?? 'reserved') };
}

/** Lets go of a cart's hold. Idempotent: releasing what this cart does not hold is fine, unless another cart holds it. */
export async function releaseOffer(db: Db, input: { code: string; cartId: string; now: Date }): Promise<OfferOutcome> {
	const code = normalizeCode(input.code);
	const [released] = await db
		.update(offers)
		.set({ reservedBy: null, reservedUntil: null })
		.where(and(eq(offers.code, code), eq(offers.reservedBy, input.cartId)))
		.returning();
	if (released) return { ok: true, offer: toOfferView(released, input.now) };
	const [row] = await db.select().from(offers).where(eq(offers.code, code));
	if (!row) return { ok: false, error: offerError('not_found') };
	if (isHeld(row, input.now)) return { ok: false, error: offerError('reserved') };
	return { ok: true, offer: toOfferView(row, input.now) };
}
