import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, identities, type Customer, type IdentityKind } from '../db/schema/customers';
import type { CountryCode } from 'libphonenumber-js';
import { normalizeEmail, normalizeId, normalizePhone } from './normalize';

/** Follows `merged_into` to the live profile; null for an unknown or erased customer. */
export async function liveCustomerId(db: Db, id: string): Promise<string | null> {
	let current = id;
	for (let hops = 0; hops < 32; hops++) {
		const [row] = await db.select({ mergedInto: customers.mergedInto, erasedAt: customers.erasedAt }).from(customers).where(eq(customers.id, current));
		if (!row || row.erasedAt) return null;
		if (!row.mergedInto) return current;
		current = row.mergedInto;
	}
	return null;
}

async function liveCustomer(db: Db, id: string): Promise<Customer | null> {
	const live = await liveCustomerId(db, id);
	if (!live) return null;
	const [customer] = await db.select().from(customers).where(eq(customers.id, live));
	return customer ?? null;
}

export type LookupQuery = {
	customerId?: string;
	userId?: string;
	anonymousId?: string;
	email?: string;
	phone?: string;
	loyaltyId?: string;
	/** How to read a national phone number (`0612…` in FR); default US. */
	region?: CountryCode;
};

/**
 * The live customer for the first identifier that matches, strongest first (customer id, userId, e-mail,
 * phone, loyalty id, anonymous id). Values are normalized as ingest stores them, and merged-away ids lead to
 * the survivor — the store's till and the web cart find the same person.
 */
export async function customerLookup(db: Db, q: LookupQuery): Promise<Customer | null> {
	const tries: Array<[IdentityKind, string | null]> = [
		['userId', normalizeId(q.userId)],
		['email', normalizeEmail(q.email)],
		['phone', normalizePhone(q.phone, q.region)],
		['loyaltyId', normalizeId(q.loyaltyId)],
		['anonymousId', normalizeId(q.anonymousId)]
	];
	if (q.customerId) {
		const found = await liveCustomer(db, q.customerId);
		if (found) return found;
	}
	for (const [kind, value] of tries) {
		if (value === null) continue;
		const [row] = await db.select({ customerId: identities.customerId }).from(identities).where(and(eq(identities.kind, kind), eq(identities.value, value)));
		const found = row ? await liveCustomer(db, row.customerId) : null;
		if (found) return found;
	}
	return null;
}
