import { and, desc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { offers } from '../db/schema/offers';
import { normalizeCode } from './codes';
import { customerFamily, survivorOf } from '../identity/lookup';
import { toOfferView, type OfferView } from './view';

/**
 * Offers the customer can still use, soonest to expire first: active and not past `expiresAt`, across the
 * customer's merged profiles. Offers held by a cart are included (with their reservation), because the
 * cart that holds it is this customer's too.
 */
export async function activeOffersFor(db: Db, customerId: string, now: Date): Promise<OfferView[]> {
	const survivor = (await survivorOf(db, customerId)) ?? customerId;
	const ids = await customerFamily(db, survivor);
	const rows = await db
		.select()
		.from(offers)
		.where(and(inArray(offers.customerId, ids), eq(offers.status, 'active'), gt(offers.expiresAt, now)))
		.orderBy(offers.expiresAt, offers.id);
	return rows.map((r) => toOfferView(r, now));
}

/** One offer by its code as typed or scanned (case and spaces do not matter). */
export async function findOffer(db: Db, code: string, now: Date): Promise<OfferView | null> {
	const [row] = await db
		.select()
		.from(offers)
		.where(eq(offers.code, normalizeCode(code)));
	return row ? toOfferView(row, now) : null;
}

/** The offer an enrollment granted last: what `{{ offer }}` means in that journey's later messages. */
export async function latestOfferForEnrollment(db: Db, enrollmentId: string, now: Date): Promise<OfferView | null> {
	const [row] = await db.select().from(offers).where(eq(offers.enrollmentId, enrollmentId)).orderBy(desc(offers.createdAt), desc(offers.id)).limit(1);
	return row ? toOfferView(row, now) : null;
}
