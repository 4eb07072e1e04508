import { asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, identities, merges, type Customer, type Identity } from '../db/schema/customers';
import { enrollments, journeys } from '../db/schema/journeys';
import { offers, type Offer } from '../db/schema/offers';
import { maskCodesIn, offerForViewer } from '../offers/view';
import { customerFamily, survivorOf } from './lookup';
import { customerTimeline, type TimelineItem } from './timeline';

export type MergeSummary = { id: number; fromCustomerId: string; intoCustomerId: string; eventId: string | null; createdAt: Date; undoneAt: Date | null };
export type EnrollmentSummary = {
	id: string;
	journeyId: string;
	journeyName: string | null;
	version: number;
	status: string;
	currentNodeId: string | null;
	enteredAt: Date;
	endedAt: Date | null;
};

export type CustomerDetail = {
	customer: Customer;
	/** Set when the id asked for was merged away: the profile shown is the survivor's. */
	requestedId: string | null;
	identities: Identity[];
	merges: MergeSummary[];
	offers: Offer[];
	enrollments: EnrollmentSummary[];
	timeline: TimelineItem[];
};

/**
 * Everything the customer page and `GET /api/v1/customers/:id` show; null for unknown or erased customers. Offer
 * codes are masked (in the offers and wherever the timeline quotes them) unless `fullCodes` (core/offers/view.ts).
 */
export async function customerDetail(
	db: Db,
	id: string,
	opts: { timelineLimit?: number; before?: Date; fullCodes?: boolean } = {}
): Promise<CustomerDetail | null> {
	const detail = await unmaskedDetail(db, id, opts);
	if (!detail || opts.fullCodes) return detail;
	const codes = detail.offers.map((o) => o.code);
	const mask = (text: string | null) => (text === null ? null : maskCodesIn(text, codes));
	return {
		...detail,
		offers: detail.offers.map((o) => offerForViewer(o, false)),
		timeline: detail.timeline.map((t) => ({ ...t, title: maskCodesIn(t.title, codes), detail: mask(t.detail) }))
	};
}

async function unmaskedDetail(db: Db, id: string, opts: { timelineLimit?: number; before?: Date }): Promise<CustomerDetail | null> {
	const liveId = await survivorOf(db, id);
	if (!liveId) return null;
	const [customer] = await db.select().from(customers).where(eq(customers.id, liveId));
	if (!customer) return null;
	const family = await customerFamily(db, liveId);
	const mergeRows = await db
		.select({
			id: merges.id,
			fromCustomerId: merges.fromCustomerId,
			intoCustomerId: merges.intoCustomerId,
			eventId: merges.eventId,
			createdAt: merges.createdAt,
			undoneAt: merges.undoneAt
		})
		.from(merges)
		.where(or(inArray(merges.intoCustomerId, family), inArray(merges.fromCustomerId, [liveId])))
		.orderBy(desc(merges.createdAt), desc(merges.id));
	return {
		customer,
		requestedId: liveId === id ? null : id,
		identities: await db.select().from(identities).where(eq(identities.customerId, liveId)).orderBy(asc(identities.kind), asc(identities.value)),
		merges: mergeRows,
		offers: await db.select().from(offers).where(inArray(offers.customerId, family)).orderBy(desc(offers.createdAt)).limit(50),
		enrollments: await db
			.select({
				id: enrollments.id,
				journeyId: enrollments.journeyId,
				journeyName: journeys.name,
				version: enrollments.version,
				status: enrollments.status,
				currentNodeId: enrollments.currentNodeId,
				enteredAt: enrollments.enteredAt,
				endedAt: enrollments.endedAt
			})
			.from(enrollments)
			.leftJoin(journeys, eq(journeys.id, enrollments.journeyId))
			.where(inArray(enrollments.customerId, family))
			// Journeys in progress first, then the most recent.
			.orderBy(sql`${enrollments.status} = 'active' desc`, desc(enrollments.enteredAt))
			.limit(50),
		timeline: await customerTimeline(db, liveId, { limit: opts.timelineLimit, before: opts.before })
	};
}
