import { and, eq, gt, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Offer } from '../db/schema/offers';
import { offers } from '../db/schema/offers';
import type { OfferErrorCode } from './errors';
import { effectiveStatus, isHeld } from './view';

export type UseContext = { now: Date; cartId?: string; storeId?: string; checkStore: boolean };

/**
 * The SQL twin of `whyUnavailable`: the offer is active, unexpired, not held by another cart and (for
 * redemption) valid at this store. Used as the WHERE of one conditional UPDATE, which is what makes
 * redemption atomic: of many concurrent requests the database lets exactly one match.
 */
export function usableWhere(code: string, ctx: UseContext): SQL {
	const free = or(isNull(offers.reservedUntil), lte(offers.reservedUntil, ctx.now), ctx.cartId ? eq(offers.reservedBy, ctx.cartId) : undefined);
	const scoped = ctx.checkStore
		? or(isNull(offers.storeScope), ctx.storeId ? sql`${offers.storeScope} @> ${JSON.stringify([ctx.storeId])}::jsonb` : sql`false`)
		: undefined;
	return and(eq(offers.code, code), eq(offers.status, 'active'), gt(offers.expiresAt, ctx.now), free, scoped)!;
}

/** Why the conditional UPDATE matched nothing, read afterwards; null means "usable after all" (a race). */
export function whyUnavailable(row: Offer | undefined, ctx: UseContext): OfferErrorCode | null {
	if (!row) return 'not_found';
	if (row.status === 'redeemed') return 'already_redeemed';
	if (row.status === 'revoked') return 'revoked';
	if (effectiveStatus(row, ctx.now) === 'expired') return 'expired';
	if (isHeld(row, ctx.now) && row.reservedBy !== ctx.cartId) return 'reserved';
	if (ctx.checkStore && row.storeScope && !(ctx.storeId && row.storeScope.includes(ctx.storeId))) return 'not_eligible';
	return null;
}
