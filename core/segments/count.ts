import { and, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, segmentMembers } from '../db/schema/customers';
import { liveCustomer, segmentPredicate } from './compile';
import { SegmentDefinition, type SegmentDefinitionInput } from './definition';

/** How many live customers match a definition right now (the builder's live count; nothing is stored). */
export async function countMatching(db: Db, definition: SegmentDefinitionInput, opts: { asOf?: Date } = {}): Promise<number> {
	const def = SegmentDefinition.parse(definition);
	const [row] = await db
		.select({ n: count() })
		.from(customers)
		.where(sql`${liveCustomer} and coalesce(${segmentPredicate(def, opts.asOf ?? new Date())}, false)`);
	return row?.n ?? 0;
}

/** Whether one customer matches a definition right now. */
export async function customerMatches(db: Db, definition: SegmentDefinitionInput, customerId: string, opts: { asOf?: Date } = {}): Promise<boolean> {
	const def = SegmentDefinition.parse(definition);
	const [row] = await db
		.select({ ok: sql<boolean>`coalesce(${segmentPredicate(def, opts.asOf ?? new Date())}, false)` })
		.from(customers)
		.where(and(eq(customers.id, customerId), liveCustomer));
	return row?.ok === true;
}

/** The recorded membership count (as of the last refresh). */
export async function countMembers(db: Db, segmentId: string): Promise<number> {
	const [row] = await db.select({ n: count() }).from(segmentMembers).where(eq(segmentMembers.segmentId, segmentId));
	return row?.n ?? 0;
}
