import { and, eq, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, identities, type Customer, type IdentityKind } from '../db/schema/customers';
import type { CountryCode } from 'libphonenumber-js';
import { normalizeEmail, normalizeId, normalizePhone } from './normalize';
import { rowsOf } from '../db/rows';

/** Merge chains are short; the bound stops a cycle written by a bug elsewhere. */
const MAX_MERGE_HOPS = 32;

/**
 * The live profile a customer id now lives in: follows `merged_into` to the survivor. Null for an unknown or
 * erased customer (erasure covers the whole merge family, so nothing may act on it again) and for a cycle.
 */
export async function survivorOf(db: Db, customerId: string): Promise<string | null> {
	const live = await followMerges(customerId, async (id) => {
		const [row] = await db.select({ mergedInto: customers.mergedInto, erasedAt: customers.erasedAt }).from(customers).where(eq(customers.id, id));
		return row && { ...row, id };
	});
	return live?.id ?? null;
}

/** The survivor's whole row (see survivorOf): one read for a profile that was never merged, the common case. */
export function liveCustomer(db: Db, customerId: string): Promise<Customer | null> {
	return followMerges(customerId, async (id) => (await db.select().from(customers).where(eq(customers.id, id)))[0]);
}

/** Follows `merged_into` from `customerId`, reading each hop with `read`; null when erased, unknown or a cycle. */
async function followMerges<T extends { id: string; mergedInto: string | null; erasedAt: Date | null }>(
	customerId: string,
	read: (id: string) => Promise<T | undefined>
): Promise<T | null> {
	let current = customerId;
	for (let hops = 0; hops < MAX_MERGE_HOPS; hops++) {
		const row = await read(current);
		if (!row || row.erasedAt) return null;
		if (!row.mergedInto) return row;
		current = row.mergedInto;
	}
	return null;
}

/**
 * The customer and every profile merged into it, directly or through others: rows written for a profile before
 * it merged (events, messages, the offers it earned) still belong to the person.
 */
export async function customerFamily(db: Db, customerId: string): Promise<string[]> {
	const result = await db.execute(sql`select distinct id from ${familyOf(customerId)} family`);
	return rowsOf<{ id: string }>(result).map((r) => r.id);
}

/**
 * customerFamily as a subquery (`… in ${familyOf(id)}`), for reads that need the family in the same statement; given
 * a column (`customers.id`), the subquery is correlated: each row's own family.
 */
export function familyOf(customerId: string | SQL | AnyColumn): SQL {
	return sql`(with recursive family(id, depth) as (
			select ${customerId}::text, 0
			union select c.id, f.depth + 1 from ${customers} c join family f on c.merged_into = f.id where f.depth < ${MAX_MERGE_HOPS}
		) select id from family)`;
}

/** Looks an identifier up (already normalized) and returns the live survivor's id; null when none. */
export async function customerByIdentity(db: Db, kind: IdentityKind, value: string): Promise<string | null> {
	const [row] = await db
		.select({ customerId: identities.customerId })
		.from(identities)
		.where(and(eq(identities.kind, kind), eq(identities.value, value)));
	return row ? survivorOf(db, row.customerId) : null;
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
		const [row] = await db
			.select({ customerId: identities.customerId })
			.from(identities)
			.where(and(eq(identities.kind, kind), eq(identities.value, value)));
		const found = row ? await liveCustomer(db, row.customerId) : null;
		if (found) return found;
	}
	return null;
}
