import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { WorkflowNotFoundError } from '@temporalio/client';
import { events, type EventRow } from '../db/schema/events';
import { enrollments } from '../db/schema/journeys';
import { getPath, triggerMatches, type EntryInput } from '../graph/match';
import { triggerOf } from '../graph/graph';
import { customerFamily, survivorOf } from '../identity/lookup';
import { eventSignal, exitSignal, type JourneyEvent } from '../enrollment/contract';
import { isDatabaseUnavailable } from '../db/client';
import { isTemporalUnavailable, TEMPORAL_DEADLINES, withTemporalDeadline } from '../temporal/connection';
import { enrol, type RoutingDeps } from './enrol';
import type { TriggerCache } from './triggers';

export type Router = RoutingDeps & { triggers: TriggerCache };

/** Only the properties the enrollment's matchers read travel in the signal (dotted keys, as `getPath` reads). */
function pick(properties: Record<string, unknown>, paths: string[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const path of paths) {
		const value = getPath(properties, path);
		if (value !== undefined) out[path] = value;
	}
	return out;
}

function asJourneyEvent(row: EventRow, properties: Record<string, unknown>): JourneyEvent {
	return { id: row.id, name: row.name ?? row.type, properties, timestamp: row.timestamp.getTime() };
}

/** Segment membership changes arrive as `segment_entered` / `segment_left` events (written by ingest). */
function entryInput(row: EventRow): EntryInput {
	const segmentId = row.properties.segmentId;
	if ((row.name === 'segment_entered' || row.name === 'segment_left') && typeof segmentId === 'string') {
		return { kind: 'segment', segmentId, change: row.name === 'segment_entered' ? 'enter' : 'leave' };
	}
	return { kind: 'event', event: { name: row.name ?? row.type, properties: row.properties } };
}

/**
 * Routes one stored event: enrols the customer in live journeys whose trigger matches, and signals the
 * customer's running enrollments that listen for this event name. Idempotent, so a retry after a partial
 * failure is safe; throws when Temporal is unreachable so the event stays unrouted and is retried.
 */
export async function routeEvent(router: Router, row: EventRow): Promise<void> {
	if (row.type === 'track' && row.name) {
		const customerId = (await survivorOf(router.db, row.customerId)) ?? row.customerId;
		const index = await router.triggers.get();
		const entry = entryInput(row);
		const candidates = entry.kind === 'segment' ? (index.bySegment.get(entry.segmentId) ?? []) : (index.byEvent.get(row.name) ?? []);
		for (const live of candidates) {
			if (triggerMatches(triggerOf(live.definition)!, entry)) {
				await enrol(router, live, customerId, asJourneyEvent(row, row.properties), row.receivedAt);
			}
		}
		const family = await customerFamily(router.db, customerId);
		const listening = await router.db
			.select({ id: enrollments.id, interests: enrollments.interests })
			.from(enrollments)
			.where(
				and(
					inArray(enrollments.customerId, family),
					eq(enrollments.status, 'active'),
					sql`${enrollments.interests}->'events' @> ${JSON.stringify([row.name])}::jsonb`
				)
			);
		for (const e of listening) {
			await signal(router, e.id, asJourneyEvent(row, pick(row.properties, e.interests.propertyPaths)));
		}
	}
	await router.db.update(events).set({ routedAt: new Date(), routingError: null }).where(eq(events.id, row.id));
}

async function signal(router: Router, enrollmentId: string, event: JourneyEvent): Promise<void> {
	try {
		await router.temporal.workflow.getHandle(enrollmentId).signal(eventSignal, event);
	} catch (err) {
		// Finished between our read and the signal: nothing left to tell it.
		if (!(err instanceof WorkflowNotFoundError)) throw err;
	}
}

/** Ends enrollments now (journey stopped, customer erased): each records the reason in its step log. */
export async function exitEnrollments(router: RoutingDeps, enrollmentIds: string[], reason: string): Promise<number> {
	let ended = 0;
	for (const id of enrollmentIds) {
		try {
			await router.temporal.workflow.getHandle(id).signal(exitSignal, { reason });
			ended++;
		} catch (err) {
			if (!(err instanceof WorkflowNotFoundError)) throw err;
		}
	}
	return ended;
}

/**
 * Routes the given events (just committed by ingest), oldest first, each within `callMs` of Temporal time. Fails
 * fast: at the first sign that Temporal or the database is unavailable it stops and leaves the rest to the sweep.
 */
export async function routeEvents(router: Router, eventIds: string[], callMs: number = TEMPORAL_DEADLINES.webCallMs): Promise<void> {
	if (eventIds.length === 0) return;
	const rows = await router.db
		.select()
		.from(events)
		.where(and(inArray(events.id, eventIds), isNull(events.routedAt)))
		.orderBy(asc(events.timestamp));
	for (const row of rows) {
		if ((await routeWithBookkeeping(router, row, callMs)) === 'unavailable') return;
	}
}

type Outcome = 'routed' | 'failed' | 'unavailable';

/**
 * Routes one event and records a failure on its row. An outage (Temporal or the database unreachable) is not the
 * event's fault: it does not count as an attempt, so no back-off builds up and the sweep routes the event as soon as
 * the dependency is back; other failures count, and the event backs off (a poison event cannot starve the rest).
 */
async function routeWithBookkeeping(router: Router, row: EventRow, callMs: number): Promise<Outcome> {
	try {
		await withTemporalDeadline(router.temporal, callMs, () => routeEvent(router, row));
		return 'routed';
	} catch (err) {
		const outage = isTemporalUnavailable(err) || isDatabaseUnavailable(err);
		const message = err instanceof Error ? err.message.slice(0, 500) : String(err);
		await router.db
			.update(events)
			.set(outage ? { routingError: message } : { routingAttempts: sql`${events.routingAttempts} + 1`, routingError: message })
			.where(eq(events.id, row.id))
			.catch(() => {}); // the database may be what is down; the row stays unrouted either way
		return outage ? 'unavailable' : 'failed';
	}
}

/**
 * The safety net: events left unrouted (Temporal was down, the process died after the commit) are picked up
 * again, oldest first, with a back-off per failed attempt so a poison event cannot starve the rest (outages do not
 * count as attempts, see routeWithBookkeeping).
 */
export async function routePending(
	router: Router,
	limit = 200,
	now = new Date(),
	callMs: number = TEMPORAL_DEADLINES.sweepCallMs
): Promise<{ routed: number; failed: number; unavailable: boolean }> {
	const rows = await router.db
		.select()
		.from(events)
		.where(
			and(
				isNull(events.routedAt),
				lt(events.receivedAt, new Date(now.getTime() - 1_000)),
				or(
					eq(events.routingAttempts, 0),
					lt(events.receivedAt, sql`${now.toISOString()}::timestamptz - make_interval(secs => least(power(2, ${events.routingAttempts}), 300))`)
				)
			)
		)
		.orderBy(asc(events.receivedAt))
		.limit(limit);
	let routed = 0;
	let failed = 0;
	for (const row of rows) {
		const outcome = await routeWithBookkeeping(router, row, callMs);
		// During an outage every event would fail the same way: stop, and try again on the next tick.
		if (outcome === 'unavailable') return { routed, failed, unavailable: true };
		if (outcome === 'routed') routed++;
		else failed++;
	}
	return { routed, failed, unavailable: false };
}
