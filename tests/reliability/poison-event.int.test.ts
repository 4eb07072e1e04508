import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/db/client';
import { events } from '../../core/db/schema/events';
import { enrollments, journeyVersions } from '../../core/db/schema/journeys';
import { enrollmentWorkflowId } from '../../core/enrollment/contract';
import { routePending } from '../../core/routing/index';
import { freshDb } from '../helpers/db';
import { insertCustomer, linearJourney, publishTestJourney, storeEvent, testRouter } from '../helpers/journeys';
import { connectToSharedDevServer } from '../helpers/temporal';

/**
 * A poison event (its routing fails for a reason of its own, not an outage) does not block the events behind it:
 * the sweep routes them in the same pass, counts the failure as an attempt and backs the poison event off.
 */
describe('a poison event in the routing sweep', () => {
	let env: TestWorkflowEnvironment;
	let db: DbHandle;

	beforeAll(async () => {
		[env, db] = await Promise.all([connectToSharedDevServer(), freshDb('pglite')]);
	});
	afterAll(async () => {
		await env?.teardown();
		await db?.close();
	});

	it('routes the others, and backs the poison one off', async () => {
		const live = await publishTestJourney(db, linearJourney({ id: 'trigger', type: 'trigger', entry: { kind: 'event', event: 'Signed Up' } }, []));
		// The poison: a retry of an entry whose enrollment pinned a version whose stored definition no longer parses.
		await db.db.insert(journeyVersions).values({ journeyId: live.journeyId, version: 2, definition: { broken: true } as never });
		const victim = await insertCustomer(db);
		// Both passes look at the world at `now`: the poison event is 1.5 s old, older than the others.
		const now = new Date();
		const at = new Date(now.getTime() - 1_500);
		const poison = await storeEvent(db, victim, 'Signed Up', {}, at);
		await db.db.insert(enrollments).values({
			id: enrollmentWorkflowId(live.journeyId, victim, 1),
			journeyId: live.journeyId,
			version: 2,
			customerId: victim,
			n: 1,
			entryEventId: poison.id,
			enteredAt: at,
			currentNodeId: null
		});
		const good = [];
		for (let i = 0; i < 5; i++) good.push(await storeEvent(db, await insertCustomer(db), 'Signed Up', {}, new Date(at.getTime() + 100 + i)));

		const router = testRouter(db, env.client, `poison-${randomUUID()}`);
		expect(await routePending(router, 200, now)).toEqual({ routed: 5, failed: 1, unavailable: false });
		const [row] = await db.db.select().from(events).where(eq(events.id, poison.id));
		expect(row).toMatchObject({ routedAt: null, routingAttempts: 1 });
		expect(row!.routingError).toBeTruthy();
		for (const g of good) expect((await db.db.select().from(events).where(eq(events.id, g.id)))[0]!.routedAt).not.toBeNull();

		// Backed off: a failed event waits until it is 2^attempts seconds old (capped at 5 min) before the next try.
		expect(await routePending(router, 200, now)).toEqual({ routed: 0, failed: 0, unavailable: false });
		expect(await routePending(router, 200, new Date(now.getTime() + 1_000))).toEqual({ routed: 0, failed: 1, unavailable: false });
	});
});
