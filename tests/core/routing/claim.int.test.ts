import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { events } from '../../../core/db/schema/events';
import { enrollments } from '../../../core/db/schema/journeys';
import { ROUTING_CLAIM_MS, routeEvents, routePending } from '../../../core/routing/index';
import { freshDb } from '../../helpers/db';
import { insertCustomer, linearJourney, publishTestJourney, storeEvent, testRouter } from '../../helpers/journeys';
import { connectToSharedDevServer } from '../../helpers/temporal';

/**
 * Routing claims its events: an event another router holds is skipped by the sweep and by routeEvents until the
 * claim expires, so the web, the inbox processor and the sweep never route one event twice at once. And a batch
 * is routed with its lookups done once.
 */
describe('routing claims and batches', () => {
	let env: TestWorkflowEnvironment;
	let db: DbHandle;

	beforeAll(async () => {
		[env, db] = await Promise.all([connectToSharedDevServer(), freshDb('pglite')]);
	});
	afterAll(async () => {
		await env?.teardown();
		await db?.close();
	});

	it('skips events another router holds, and routes them once the claim has expired', async () => {
		await publishTestJourney(db, linearJourney({ id: 'trigger', type: 'trigger', entry: { kind: 'event', event: 'Signed Up' } }, []));
		const router = testRouter(db, env.client, `claim-${randomUUID()}`);
		const now = new Date();
		const at = new Date(now.getTime() - 2_000);
		const held = await storeEvent(db, await insertCustomer(db), 'Signed Up', {}, at);
		await db.db
			.update(events)
			.set({ routingClaimedUntil: new Date(now.getTime() + ROUTING_CLAIM_MS) })
			.where(eq(events.id, held.id));
		const free = [];
		for (let i = 0; i < 3; i++) free.push(await storeEvent(db, await insertCustomer(db), 'Signed Up', {}, at));

		expect(await routePending(router, 200, now)).toEqual({ routed: 3, failed: 0, unavailable: false });
		expect(await routeEvents(router, [held.id])).toEqual({ routed: 0, failed: 0, unavailable: false });
		const [row] = await db.db.select().from(events).where(eq(events.id, held.id));
		expect(row).toMatchObject({ routedAt: null, routingAttempts: 0 });
		expect(await db.db.$count(enrollments)).toBe(3);

		// The holder died: once its claim expires, the sweep takes the event.
		expect(await routePending(router, 200, new Date(now.getTime() + ROUTING_CLAIM_MS + 1_000))).toEqual({ routed: 1, failed: 0, unavailable: false });
		expect(await db.db.$count(enrollments)).toBe(4);
		expect(await db.db.$count(events, isNotNull(events.routingClaimedUntil))).toBe(0);
	});

	it('routes a batch of many customers in one call: each enrolled once, every event marked', async () => {
		const live = await publishTestJourney(db, linearJourney({ id: 'trigger', type: 'trigger', entry: { kind: 'event', event: 'Joined' } }, []));
		const router = testRouter(db, env.client, `batch-${randomUUID()}`);
		const rows = [];
		for (let i = 0; i < 24; i++) {
			const customer = await insertCustomer(db);
			rows.push(await storeEvent(db, customer, 'Joined'), await storeEvent(db, customer, 'Clicked'));
		}
		const t0 = performance.now();
		const result = await routeEvents(
			router,
			rows.map((r) => r.id)
		);
		console.log(`[routing] 48 events, 24 enrolments in ${Math.round(performance.now() - t0)} ms`);
		expect(result).toEqual({ routed: 48, failed: 0, unavailable: false });
		const enrolled = await db.db.select().from(enrollments).where(eq(enrollments.journeyId, live.journeyId));
		expect(enrolled).toHaveLength(24);
		expect(new Set(enrolled.map((e) => e.customerId)).size).toBe(24);
		// Routed again (a retry): nothing twice.
		expect(
			await routeEvents(
				router,
				rows.map((r) => r.id)
			)
		).toEqual({ routed: 0, failed: 0, unavailable: false });
	});

	it('decides entries from one read of the latest enrollments: re-entry across batches and twice within one', async () => {
		const hold = [{ id: 'wait', type: 'wait' as const, mode: 'duration' as const, duration: { amount: 1, unit: 'hours' as const } }];
		const once = await publishTestJourney(db, linearJourney({ id: 'trigger', type: 'trigger', entry: { kind: 'event', event: 'Tapped' } }, hold));
		const again = await publishTestJourney(
			db,
			linearJourney({ id: 'trigger', type: 'trigger', entry: { kind: 'event', event: 'Tapped' } }, hold, { reentry: { mode: 'always' } })
		);
		const router = testRouter(db, env.client, `reentry-${randomUUID()}`);
		const [twice, before, fresh] = [await insertCustomer(db), await insertCustomer(db), await insertCustomer(db)];
		// `before` went through both journeys already; both enrollments are over.
		for (const live of [once, again])
			await db.db
				.insert(enrollments)
				.values({ id: `${live.journeyId}:${before}:1`, journeyId: live.journeyId, version: live.version, customerId: before, n: 1, status: 'completed' });
		const rows = [
			await storeEvent(db, twice, 'Tapped'),
			await storeEvent(db, before, 'Tapped'),
			await storeEvent(db, twice, 'Tapped'),
			await storeEvent(db, fresh, 'Tapped')
		];
		expect(
			await routeEvents(
				router,
				rows.map((r) => r.id)
			)
		).toEqual({ routed: 4, failed: 0, unavailable: false });
		const of = async (journeyId: string) =>
			(await db.db.select().from(enrollments).where(eq(enrollments.journeyId, journeyId)))
				.map((e) => `${e.customerId === twice ? 'twice' : e.customerId === before ? 'before' : 'fresh'}:${e.n}`)
				.sort();
		// Never: once each, and nothing more for who had been in. Always: `before` again as n = 2; `twice` once, its
		// second event finding the enrollment its first one started (still waiting an hour).
		expect(await of(once.journeyId)).toEqual(['before:1', 'fresh:1', 'twice:1']);
		expect(await of(again.journeyId)).toEqual(['before:1', 'before:2', 'fresh:1', 'twice:1']);
	});
});
