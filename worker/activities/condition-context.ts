import { and, desc, eq, gte, inArray } from 'drizzle-orm';
import { stockTarget, type ConditionContext, type ConditionNeeds, type MessageSnapshot, type OfferSnapshot } from '../../core/graph/conditions';
import { quantitiesOf } from '../../core/commerce/stock';
import type { Db } from '../../core/db/client';
import { customers } from '../../core/db/schema/customers';
import { events } from '../../core/db/schema/events';
import { messageEvents, messages } from '../../core/db/schema/messages';
import { offers } from '../../core/db/schema/offers';
import { customerFamily, survivorOf } from '../../core/identity/lookup';
import type { EnrollmentRef } from '../../core/enrollment/contract';

/** Enough history for "did X in the last N days" without reading a lifetime of page views. */
const MAX_EVENTS = 500;

/**
 * Loads what a condition step reads — and nothing else (see `conditionNeeds`): the profile's traits and consent,
 * offers and messages of this enrollment by the step that made them, and the customer's recent events by name.
 */
export async function loadConditionContext(db: Db, ref: EnrollmentRef, needs: ConditionNeeds): Promise<Omit<ConditionContext, 'now' | 'entryEvent'>> {
	const survivor = (await survivorOf(db, ref.customerId)) ?? ref.customerId;
	const [profile] = await db.select({ traits: customers.traits, consent: customers.consent }).from(customers).where(eq(customers.id, survivor));
	const consent: ConditionContext['consent'] = {};
	for (const [channel, state] of Object.entries(profile?.consent ?? {})) consent[channel as keyof typeof consent] = state?.granted === true;

	const offerRows = needs.offerNodeIds.length
		? await db
				.select({ nodeId: offers.nodeId, status: offers.status, expiresAt: offers.expiresAt })
				.from(offers)
				.where(and(eq(offers.enrollmentId, ref.enrollmentId), inArray(offers.nodeId, needs.offerNodeIds)))
		: [];
	const offerMap: Record<string, OfferSnapshot> = {};
	for (const o of offerRows) if (o.nodeId) offerMap[o.nodeId] = { status: o.status, expiresAt: o.expiresAt.getTime() };

	const messageMap: Record<string, MessageSnapshot> = {};
	if (needs.messageNodeIds.length) {
		const rows = await db
			.select({ nodeId: messages.nodeId, status: messages.status, eventStatus: messageEvents.status })
			.from(messages)
			.leftJoin(messageEvents, eq(messageEvents.messageId, messages.id))
			.where(and(eq(messages.enrollmentId, ref.enrollmentId), inArray(messages.nodeId, needs.messageNodeIds)));
		for (const r of rows) {
			if (!r.nodeId) continue;
			const snap = (messageMap[r.nodeId] ??= {});
			for (const s of [r.status, r.eventStatus]) {
				if (s === 'delivered') snap.delivered = true;
				if (s === 'opened') snap.opened = true;
				if (s === 'clicked') snap.clicked = true;
			}
		}
	}

	let recent: ConditionContext['events'] = [];
	if (needs.eventNames.length) {
		const family = await customerFamily(db, survivor);
		const since = needs.eventLookbackMs === undefined ? undefined : new Date(Date.now() - needs.eventLookbackMs);
		const rows = await db
			.select({ name: events.name, properties: events.properties, timestamp: events.timestamp })
			.from(events)
			.where(and(inArray(events.customerId, family), inArray(events.name, needs.eventNames), since ? gte(events.timestamp, since) : undefined))
			.orderBy(desc(events.timestamp))
			.limit(MAX_EVENTS);
		recent = rows.map((r) => ({ name: r.name ?? '', properties: r.properties, timestamp: r.timestamp.getTime() }));
	}
	const traits = profile?.traits ?? {};
	// Stock conditions: the customer's store from their traits (entry-event SKUs arrive already read), shelves now.
	const targets = (needs.stock ?? []).flatMap((c) => stockTarget(c, traits) ?? []);
	const stock = targets.length ? await quantitiesOf(db, targets) : undefined;
	return { traits, consent, offers: offerMap, messages: messageMap, events: recent, ...(stock ? { stock } : {}) };
}
