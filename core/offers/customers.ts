import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, identities, type IdentityKind } from '../db/schema/customers';

/** Merge chains are short; a bound protects against a cycle written by a bug elsewhere. */
const MAX_HOPS = 16;

/** The profile a customer id now lives in: follows `merged_into` to the survivor. Null when unknown. */
export async function survivorOf(db: Db, customerId: string): Promise<string | null> {
	let id = customerId;
	for (let hop = 0; hop < MAX_HOPS; hop++) {
		const [row] = await db.select({ mergedInto: customers.mergedInto }).from(customers).where(eq(customers.id, id));
		if (!row) return hop === 0 ? null : id;
		if (!row.mergedInto) return id;
		id = row.mergedInto;
	}
	return id;
}

/**
 * The survivor and every profile merged into it (directly or through others). Offers stay attached to the
 * profile that earned them, so "this customer's offers" must include the merged-away profiles' too.
 */
export async function customerFamily(db: Db, survivorId: string): Promise<string[]> {
	const rows = await db.execute<{ id: string }>(sql`
		with recursive family(id, depth) as (
			select ${survivorId}::text, 0
			union
			select c.id, f.depth + 1 from ${customers} c join family f on c.merged_into = f.id where f.depth < ${MAX_HOPS}
		)
		select distinct id from family`);
	return rowsOf<{ id: string }>(rows).map((r) => r.id);
}

/** drizzle's `execute` answers an array (postgres-js) or `{ rows }` (PGlite). */
export function rowsOf<T>(result: unknown): T[] {
	if (Array.isArray(result)) return result as T[];
	return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** Looks an identifier up (already normalized) and returns the surviving customer id. */
export async function customerByIdentity(db: Db, kind: IdentityKind, value: string): Promise<string | null> {
	const [row] = await db
		.select({ customerId: identities.customerId })
		.from(identities)
		.where(and(eq(identities.kind, kind), eq(identities.value, value)));
	return row ? survivorOf(db, row.customerId) : null;
}
