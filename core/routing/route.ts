import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { WorkflowNotFoundError } from '@temporalio/client';
import { events, type EventRow } from '../db/schema/events';
import { enrollments, type Enrollment } from '../db/schema/journeys';
import { getPath, triggerMatches, type EntryInput } from '../graph/match';
import { triggerOf } from '../graph/graph';
import { rowsOf, textsIn } from '../db/rows';
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

/** Signals (and enrolments of different customers) in flight at once while routing a batch. */
export const ROUTING_CONCURRENCY = 16;
/** A router's claim on the events it routes; a router that dies releases them when it expires. */
export const ROUTING_CLAIM_MS = 60_000;

type Listener = { id: string; customerId: string; interests: { events: string[]; propertyPaths: string[] } };

/** What a batch needs, looked up once: the trigger index, live customers, their families and listening enrollments. */
type BatchContext = {
	index: Awaited<ReturnType<TriggerCache['get']>>;
	survivor: Map<string, string>;
	family: Map<string, string[]>;
	listeners: Listener[];
	/**
	 * Each (journey, customer) pair the batch may enrol: the latest enrollment (null: none). Taken out once used,
	 * so a second entry of the same customer in the batch reads the first's row afresh.
	 */
	lastEnrollment: Map<string, Enrollment | null>;
};

const pairKey = (journeyId: string, customerId: string) => `${journeyId}\n${customerId}`;

/** The journeys whose trigger may take this event (before matching its conditions). */
function candidatesFor(index: BatchContext['index'], row: EventRow) {
	const entry = entryInput(row);
	return { entry, journeys: entry.kind === 'segment' ? (index.bySegment.get(entry.segmentId) ?? []) : (index.byEvent.get(row.name!) ?? []) };
}

async function batchContext(router: Router, rows: readonly EventRow[]): Promise<BatchContext> {
	const tracked = rows.filter((r) => r.type === 'track' && r.name);
	const index = await router.triggers.get();
	const survivor = new Map<string, string>();
	const family = new Map<string, string[]>();
	const lastEnrollment = new Map<string, Enrollment | null>();
	if (tracked.length === 0) return { index, survivor, family, listeners: [], lastEnrollment };
	const ids = [...new Set(tracked.map((r) => r.customerId))];
	// Where each customer now lives (merged-away ids lead to the survivor); an erased chain keeps the stored id.
	const chains = rowsOf<{ start: string; id: string; erased: boolean }>(
		await router.db.execute(sql`
			with recursive chain(start, id, merged_into, erased, depth) as (
				select id, id, merged_into, erased_at is not null, 0 from customers where id in ${textsIn(ids)}
				union all
				select c.start, x.id, x.merged_into, c.erased or x.erased_at is not null, c.depth + 1
				from chain c join customers x on x.id = c.merged_into where c.depth < 32
			) select start, id, erased from chain where merged_into is null`)
	);
	for (const c of chains) survivor.set(c.start, c.erased ? c.start : c.id);
	const roots = [...new Set(ids.map((id) => survivor.get(id) ?? id))];
	const members = rowsOf<{ root: string; id: string }>(
		await router.db.execute(sql`
			with recursive family(root, id, depth) as (
				select r, r, 0 from jsonb_array_elements_text(${JSON.stringify(roots)}::jsonb) as r
				union select f.root, c.id, f.depth + 1 from customers c join family f on c.merged_into = f.id where f.depth < 32
			) select distinct root, id from family`)
	);
	for (const m of members) family.set(m.root, [...(family.get(m.root) ?? []), m.id]);
	const names = [...new Set(tracked.map((r) => r.name!))];
	const everyone = [...new Set(members.map((m) => m.id))];
	const listeners = everyone.length
		? await router.db
				.select({ id: enrollments.id, customerId: enrollments.customerId, interests: enrollments.interests })
				.from(enrollments)
				.where(
					and(
						inArray(enrollments.customerId, everyone),
						eq(enrollments.status, 'active'),
						sql`${enrollments.interests}->'events' ?| array(select jsonb_array_elements_text(${JSON.stringify(names)}::jsonb))`
					)
				)
		: [];
	// Every enrollment decision of the batch reads the customer's latest enrollment in the journey: one read for all.
	const pairs = new Set<string>();
	for (const r of tracked) for (const live of candidatesFor(index, r).journeys) pairs.add(pairKey(live.journeyId, survivor.get(r.customerId) ?? r.customerId));
	if (pairs.size > 0) {
		const split = [...pairs].map((k) => k.split('\n') as [string, string]);
		for (const k of pairs) lastEnrollment.set(k, null);
		const latest = await router.db
			.selectDistinctOn([enrollments.journeyId, enrollments.customerId])
			.from(enrollments)
			.where(and(inArray(enrollments.journeyId, [...new Set(split.map(([j]) => j))]), inArray(enrollments.customerId, [...new Set(split.map(([, c]) => c))])))
			.orderBy(enrollments.journeyId, enrollments.customerId, desc(enrollments.n));
		for (const e of latest) if (pairs.has(pairKey(e.journeyId, e.customerId))) lastEnrollment.set(pairKey(e.journeyId, e.customerId), e);
	}
	return { index, survivor, family, listeners, lastEnrollment };
}

/** Runs `fn` over `items` with at most `limit` in flight; the first failure is thrown once all have settled. */
async function eachBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	let failure: { err: unknown } | undefined;
	const lane = async () => {
		while (next < items.length) {
			const item = items[next++]!;
			try {
				await fn(item);
			} catch (err) {
				failure ??= { err };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
	if (failure) throw failure.err;
}

/**
 * Routes one stored event with the batch's lookups: enrols the customer in live journeys whose trigger matches,
 * and signals the customer's running enrollments that listen for this event name (concurrently, bounded).
 * Idempotent, so a retry after a partial failure is safe; throws when Temporal is unreachable so the event stays
 * unrouted and is retried. The caller marks it routed (markRouted).
 */
async function routeInBatch(router: Router, ctx: BatchContext, row: EventRow): Promise<void> {
	if (row.type === 'track' && row.name) {
		const customerId = ctx.survivor.get(row.customerId) ?? row.customerId;
		const { entry, journeys } = candidatesFor(ctx.index, row);
		for (const live of journeys) {
			if (triggerMatches(triggerOf(live.definition)!, entry)) {
				const key = pairKey(live.journeyId, customerId);
				const last = ctx.lastEnrollment.get(key);
				ctx.lastEnrollment.delete(key);
				await enrol(router, live, customerId, asJourneyEvent(row, row.properties), row.receivedAt, last === undefined ? undefined : { last });
			}
		}
		const family = new Set(ctx.family.get(customerId) ?? [customerId]);
		const listening = ctx.listeners.filter((e) => family.has(e.customerId) && e.interests.events.includes(row.name!));
		await eachBounded(listening, ROUTING_CONCURRENCY, (e) => signal(router, e.id, asJourneyEvent(row, pick(row.properties, e.interests.propertyPaths))));
	}
}

/**
 * Marks routed events in one statement (a batch's, once it is done). Should the process die before, their claims
 * expire and the sweep routes them again, which enrols and signals no one twice (see routeInBatch).
 */
async function markRouted(router: Router, ids: string[]): Promise<void> {
	if (ids.length === 0) return;
	await router.db.update(events).set({ routedAt: new Date(), routingError: null, routingClaimedUntil: null }).where(inArray(events.id, ids));
}

/** Routes one stored event on its own (tests and one-off callers; batches use routeEvents). */
export async function routeEvent(router: Router, row: EventRow): Promise<void> {
	await routeInBatch(router, await batchContext(router, [row]), row);
	await markRouted(router, [row.id]);
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
 * Claims events for this router: marks them held until `now + ROUTING_CLAIM_MS` in one statement, skipping rows
 * another router holds (or is claiming this instant), so the web, the processor and the sweep never route one event
 * at the same time.
 */
async function claimEvents(router: Router, where: SQL | undefined, limit: number, now: Date): Promise<EventRow[]> {
	const free = or(isNull(events.routingClaimedUntil), lt(events.routingClaimedUntil, now));
	const ids = router.db
		.select({ id: events.id })
		.from(events)
		.where(and(isNull(events.routedAt), free, where))
		.orderBy(asc(events.receivedAt))
		.limit(limit)
		.for('update', { skipLocked: true });
	return router.db
		.update(events)
		.set({ routingClaimedUntil: new Date(now.getTime() + ROUTING_CLAIM_MS) })
		.where(inArray(events.id, ids))
		.returning();
}

type Outcome = 'routed' | 'failed' | 'unavailable';

/**
 * Routes claimed events as a batch: lookups once, then customers in parallel (bounded), each customer's events in
 * order (by `order`). Stops starting new work at the first sign that Temporal or the database is unavailable;
 * unstarted events are released for the sweep.
 */
async function routeClaimed(router: Router, rows: EventRow[], callMs: number): Promise<{ routed: number; failed: number; unavailable: boolean }> {
	let routed = 0;
	let failed = 0;
	let unavailable = false;
	if (rows.length === 0) return { routed, failed, unavailable };
	let ctx: BatchContext;
	try {
		ctx = await batchContext(router, rows);
	} catch (err) {
		await release(router, rows, err, true);
		return { routed, failed, unavailable: true };
	}
	const byCustomer = new Map<string, EventRow[]>();
	for (const r of rows) {
		const key = ctx.survivor.get(r.customerId) ?? r.customerId;
		byCustomer.set(key, [...(byCustomer.get(key) ?? []), r]);
	}
	const done: string[] = [];
	await eachBounded([...byCustomer.values()], ROUTING_CONCURRENCY, async (list) => {
		for (const row of list) {
			if (unavailable) {
				await release(router, [row], null, true);
				continue;
			}
			const outcome = await routeWithBookkeeping(router, ctx, row, callMs);
			if (outcome === 'routed') done.push(row.id);
			else if (outcome === 'failed') failed++;
			else unavailable = true;
		}
	});
	try {
		await markRouted(router, done);
		routed = done.length;
	} catch (err) {
		// Routed but not marked: the claims expire and the sweep routes them again (idempotent).
		if (!isDatabaseUnavailable(err)) throw err;
		unavailable = true;
	}
	return { routed, failed, unavailable };
}

/** Gives claimed events back (a failure's message recorded); an outage does not count as an attempt. */
async function release(router: Router, rows: EventRow[], err: unknown, outage: boolean): Promise<void> {
	const message = err === null ? undefined : err instanceof Error ? err.message.slice(0, 500) : String(err);
	await router.db
		.update(events)
		.set({
			routingClaimedUntil: null,
			...(message !== undefined ? { routingError: message } : {}),
			...(outage ? {} : { routingAttempts: sql`${events.routingAttempts} + 1` })
		})
		.where(
			inArray(
				events.id,
				rows.map((r) => r.id)
			)
		)
		.catch(() => {}); // the database may be what is down; the claim then simply expires
}

/**
 * Routes the given events (just committed by ingest or the inbox processor) as one batch, each within `callMs` of
 * Temporal time. Events another router holds are left to it. Fails fast: at the first sign that Temporal or the
 * database is unavailable it stops and leaves the rest to the sweep.
 */
export async function routeEvents(
	router: Router,
	eventIds: string[],
	callMs: number = TEMPORAL_DEADLINES.webCallMs
): Promise<{ routed: number; failed: number; unavailable: boolean }> {
	if (eventIds.length === 0) return { routed: 0, failed: 0, unavailable: false };
	const rows = await claimEvents(router, inArray(events.id, eventIds), eventIds.length, new Date());
	rows.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || a.receivedAt.getTime() - b.receivedAt.getTime());
	return routeClaimed(router, rows, callMs);
}

/**
 * What the inbox processor calls after each batch commits. After Temporal (or the database) was found unavailable
 * it leaves routing to the sweep for a few seconds, so an outage does not slow the processing of the inbox.
 */
export function routeAfterProcessing(router: Router, pauseMs = 5_000): (eventIds: string[]) => Promise<void> {
	let pausedUntil = 0;
	return async (eventIds) => {
		if (Date.now() < pausedUntil) return;
		const r = await routeEvents(router, eventIds).catch(() => ({ unavailable: true }));
		if (r.unavailable) pausedUntil = Date.now() + pauseMs;
	};
}

/**
 * Routes one event and records a failure on its row. An outage (Temporal or the database unreachable) is not the
 * event's fault: it does not count as an attempt, so no back-off builds up and the sweep routes the event as soon as
 * the dependency is back; other failures count, and the event backs off (a poison event cannot starve the rest).
 */
async function routeWithBookkeeping(router: Router, ctx: BatchContext, row: EventRow, callMs: number): Promise<Outcome> {
	try {
		await withTemporalDeadline(router.temporal, callMs, () => routeInBatch(router, ctx, row));
		return 'routed';
	} catch (err) {
		const outage = isTemporalUnavailable(err) || isDatabaseUnavailable(err);
		await release(router, [row], err, outage);
		return outage ? 'unavailable' : 'failed';
	}
}

/**
 * The safety net: events left unrouted (Temporal was down, the process died after the commit) are claimed and
 * routed again, oldest first, with a back-off per failed attempt so a poison event cannot starve the rest (outages
 * do not count as attempts, see routeWithBookkeeping). Events another router holds are skipped.
 */
export async function routePending(
	router: Router,
	limit = 200,
	now = new Date(),
	callMs: number = TEMPORAL_DEADLINES.sweepCallMs
): Promise<{ routed: number; failed: number; unavailable: boolean }> {
	const rows = await claimEvents(
		router,
		and(
			lt(events.receivedAt, new Date(now.getTime() - 1_000)),
			or(
				eq(events.routingAttempts, 0),
				lt(events.receivedAt, sql`${now.toISOString()}::timestamptz - make_interval(secs => least(power(2, ${events.routingAttempts}), 300))`)
			)
		),
		limit,
		now
	);
	rows.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
	return routeClaimed(router, rows, callMs);
}
