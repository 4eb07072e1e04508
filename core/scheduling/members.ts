import { and, asc, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, segmentMembers } from '../db/schema/customers';
import type { ZoneFilter } from '../enrollment/scheduled-entry';
import { liveCustomer } from '../segments/compile';

/** A run's members: in the segment since before its snapshot, and still in it (and not merged away or erased). */
function membersOf(segmentId: string, snapshotAt: number) {
	return and(eq(segmentMembers.segmentId, segmentId), lte(segmentMembers.enteredAt, new Date(snapshotAt)), liveCustomer);
}

/** The distinct profile zones among a run's members (`null`: no zone set), for entering each at their own local time. */
export async function memberZones(db: Db, segmentId: string, snapshotAt: number): Promise<(string | null)[]> {
	const rows = await db
		.selectDistinct({ zone: customers.timezone })
		.from(segmentMembers)
		.innerJoin(customers, eq(customers.id, segmentMembers.customerId))
		.where(membersOf(segmentId, snapshotAt));
	return rows.map((r) => r.zone);
}

/** One page of members in customer-id order, after `after`, optionally only those in some zones. */
export async function memberPage(
	db: Db,
	input: { segmentId: string; snapshotAt: number; filter?: ZoneFilter; after?: string; limit: number }
): Promise<string[]> {
	const { filter } = input;
	const zone = filter
		? or(filter.zones.length ? inArray(customers.timezone, filter.zones) : undefined, filter.withoutZone ? isNull(customers.timezone) : undefined)
		: undefined;
	if (filter && zone === undefined) return [];
	const rows = await db
		.select({ id: segmentMembers.customerId })
		.from(segmentMembers)
		.innerJoin(customers, eq(customers.id, segmentMembers.customerId))
		.where(and(membersOf(input.segmentId, input.snapshotAt), zone, input.after === undefined ? undefined : gt(segmentMembers.customerId, input.after)))
		.orderBy(asc(segmentMembers.customerId))
		.limit(input.limit);
	return rows.map((r) => r.id);
}
