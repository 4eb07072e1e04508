import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, segmentMembers, segments } from '../db/schema/customers';
import { events } from '../db/schema/events';
import { inTransaction, type Tx } from '../identity/tx';
import { jsonParam, rowsOf } from '../db/rows';
import { liveCustomer, segmentPredicate } from './compile';
import { recordTransitions } from './signals';
import { loadSegments } from './store';

/** Segment ids the customer entered and left, and the `segment_*` event ids to hand to the router. */
export type MembershipChanges = { entered: string[]; left: string[]; eventIds: string[] };

/**
 * Re-evaluates every segment for one customer (one query for all of them) and records who entered and left.
 * Called by ingest inside its transaction, so membership changes commit with the events that caused them.
 */
export async function refreshSegmentsForCustomer(tx: Tx, customerId: string, opts: { asOf?: Date } = {}): Promise<MembershipChanges> {
	const asOf = opts.asOf ?? new Date();
	const all = await loadSegments(tx);
	if (all.length === 0) return { entered: [], left: [], eventIds: [] };
	const fields = Object.fromEntries(all.map((s, i) => [`s${i}`, sql<boolean>`coalesce(${segmentPredicate(s.definition, asOf)}, false)`]));
	const [row] = await tx
		.select(fields)
		.from(customers)
		.where(and(eq(customers.id, customerId), liveCustomer));
	const now = new Set(all.filter((_, i) => row?.[`s${i}`] === true).map((s) => s.id));
	const before = new Set(
		(await tx.select({ id: segmentMembers.segmentId }).from(segmentMembers).where(eq(segmentMembers.customerId, customerId))).map((r) => r.id)
	);
	const entered = all.filter((s) => now.has(s.id) && !before.has(s.id));
	const left = all.filter((s) => before.has(s.id) && !now.has(s.id));
	if (entered.length) {
		await tx
			.insert(segmentMembers)
			.values(entered.map((s) => ({ segmentId: s.id, customerId, enteredAt: asOf })))
			.onConflictDoNothing();
	}
	if (left.length) {
		await tx.delete(segmentMembers).where(
			and(
				eq(segmentMembers.customerId, customerId),
				inArray(
					segmentMembers.segmentId,
					left.map((s) => s.id)
				)
			)
		);
	}
	const eventIds = await recordTransitions(
		tx,
		[
			...entered.map((s) => ({ segmentId: s.id, segmentName: s.name, customerId, change: 'entered' as const })),
			...left.map((s) => ({ segmentId: s.id, segmentName: s.name, customerId, change: 'left' as const }))
		],
		asOf
	);
	return { entered: entered.map((s) => s.id), left: left.map((s) => s.id), eventIds };
}

export type SegmentRefresh = { entered: string[]; left: string[]; eventIds: string[] };

/**
 * Recomputes one segment for everyone, in SQL. Needed on a schedule for time windows ("in the last 7 days"
 * stops holding without any new event) and after a definition changes. Returns customer ids.
 */
export async function refreshSegment(db: Db, segmentId: string, opts: { asOf?: Date } = {}): Promise<SegmentRefresh> {
	const asOf = opts.asOf ?? new Date();
	return inTransaction(db, async (tx) => {
		// One refresh of a segment at a time: concurrent ones would both insert the same entries.
		await tx.select({ id: segments.id }).from(segments).where(eq(segments.id, segmentId)).for('update');
		const [segment] = await loadSegments(tx, segmentId);
		if (!segment) return { entered: [], left: [], eventIds: [] };
		const matches = sql`${liveCustomer} and coalesce(${segmentPredicate(segment.definition, asOf)}, false)`;
		const at = sql`${asOf.toISOString()}::timestamptz`;
		const entered = rowsOf<{ customer_id: string }>(
			await tx.execute(sql`
				insert into ${segmentMembers} (segment_id, customer_id, entered_at)
				select ${segmentId}::text, ${customers.id}, ${at} from ${customers}
				where ${matches} and not exists (
					select 1 from ${segmentMembers} m where m.segment_id = ${segmentId}::text and m.customer_id = ${customers.id})
				on conflict do nothing
				returning customer_id`)
		).map((r) => r.customer_id);
		const left = rowsOf<{ customer_id: string }>(
			await tx.execute(sql`
				delete from ${segmentMembers} m where m.segment_id = ${segmentId}::text
				and not exists (select 1 from ${customers} where ${customers.id} = m.customer_id and ${matches})
				returning m.customer_id`)
		).map((r) => r.customer_id);
		const eventIds = [
			...(await bulkTransitions(tx, segment.id, segment.name, 'entered', entered, asOf)),
			...(await bulkTransitions(tx, segment.id, segment.name, 'left', left, asOf))
		];
		return { entered, left, eventIds };
	});
}

/** The same events as `recordTransitions`, built in SQL so a segment of 100,000 people is one statement. */
async function bulkTransitions(tx: Tx, segmentId: string, name: string, change: 'entered' | 'left', customerIds: string[], asOf: Date): Promise<string[]> {
	if (customerIds.length === 0) return [];
	const result = await tx.execute(sql`
		insert into ${events} (id, message_id, type, name, customer_id, properties, context, timestamp, received_at)
		select gen_random_uuid()::text, ${`segment:${segmentId}:${change}:`}::text || c || ${`:${asOf.getTime()}`}::text, 'track',
			${`segment_${change}`}::text, c, jsonb_build_object('segmentId', ${segmentId}::text, 'segmentName', ${name}::text),
			'{"source":"segments"}'::jsonb, ${asOf.toISOString()}::timestamptz, ${asOf.toISOString()}::timestamptz
		from jsonb_array_elements_text(${jsonParam(customerIds)}) as c
		on conflict do nothing
		returning id`);
	return rowsOf<{ id: string }>(result).map((r) => r.id);
}
