import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/db/client';
import { identities } from '../../core/db/schema/customers';
import { messages } from '../../core/db/schema/messages';
import { storeTasks } from '../../core/db/schema/offers';
import type { JourneyResult } from '../../core/enrollment/contract';
import type { JourneyDefinition } from '../../core/graph/definition';
import { clickAndCollectJourney } from '../../core/graph/templates/click-and-collect';
import { preorderReleaseJourney } from '../../core/graph/templates/preorder-release';
import { addLocalDays, localDateTime } from '../../core/graph/zone';
import { enrol, routeEvent, type Router } from '../../core/routing/index';
import { freshDb } from '../helpers/db';
import { insertCustomer, journeyWorker, linearJourney, publishTestJourney, stepsOf, storeEvent, testRouter } from '../helpers/journeys';
import { createTimeSkippingEnv } from '../helpers/temporal';

const DAY = 24 * 3600 * 1000;
const ymd = (d: { year: number; month: number; day: number }) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/**
 * The commerce templates on Temporal's time-skipping server with the real activities: the pre-order's wait lands on
 * the release day at 09:00 in the customer's zone (weeks of workflow time in seconds), and click & collect sends its
 * SMS when the order is ready and the reminder two days later unless the order was picked up.
 */
describe('commerce journeys (time-skipping)', () => {
	let env: TestWorkflowEnvironment;
	let db: DbHandle;
	let worker: Worker;
	let router: Router;
	let running: Promise<void>;
	const taskQueue = `commerce-${randomUUID()}`;

	beforeAll(async () => {
		[env, db] = await Promise.all([createTimeSkippingEnv(), freshDb('pglite')]);
		worker = await journeyWorker(env.nativeConnection, db, taskQueue);
		running = worker.run();
		router = testRouter(db, env.client, taskQueue);
	});
	afterAll(async () => {
		worker?.shutdown();
		await running;
		await env?.teardown();
		await db?.close();
	});

	async function customerWithPhone(timezone: string, traits: Record<string, unknown> = {}): Promise<string> {
		const customerId = await insertCustomer(db, { timezone, traits });
		await db.db.insert(identities).values({ kind: 'phone', value: `+3361${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`, customerId });
		return customerId;
	}

	async function enter(def: JourneyDefinition, customerId: string, name: string, properties: Record<string, unknown>) {
		const live = await publishTestJourney(db, def);
		const entry = await storeEvent(db, customerId, name, properties);
		const result = await enrol(router, live, customerId, { id: entry.id, name, properties, timestamp: entry.timestamp.getTime() });
		if (!result.enrolled) throw new Error(`not enrolled: ${result.reason}`);
		return { id: result.enrollmentId, handle: env.client.workflow.getHandle(result.enrollmentId) };
	}

	const reached = (result: JourneyResult, nodeId: string) => result.path.find((p) => p.nodeId === nodeId)?.at;

	it('announces a pre-order on its release day at 09:00 in the customer’s zone', async () => {
		const zone = 'America/New_York';
		const customerId = await customerWithPhone(zone);
		// Dates from the test server's clock: earlier tests' waits have moved it ahead of the wall clock.
		const release = addLocalDays(localDateTime(await env.currentTimeMs(), zone), 10);
		const { id, handle } = await enter(preorderReleaseJourney(), customerId, 'preorder_placed', {
			order_id: 'PO-1',
			name: 'Vinyl box set',
			release_date: ymd(release)
		});
		const result: JourneyResult = await handle.result();
		expect(result.status).toBe('completed');
		expect(result.path.map((p) => p.nodeId)).toEqual(['trigger', 'confirm', 'wait-release', 'out-email', 'out-sms', 'exit']);
		const announced = localDateTime(reached(result, 'out-email')!, zone);
		expect({ ...announced, second: 0 }).toEqual({ year: release.year, month: release.month, day: release.day, hour: 9, minute: 0, second: 0 });
		const sms = await db.db
			.select()
			.from(messages)
			.where(and(eq(messages.enrollmentId, id), eq(messages.nodeId, 'out-sms')));
		expect(sms).toHaveLength(1);
		expect(sms[0]!.body).toContain('It’s out today');
	});

	it('continues at once when the release date has passed, and leaves when there is none', async () => {
		const zone = 'Europe/Paris';
		const late = await enter(preorderReleaseJourney(), await customerWithPhone(zone), 'preorder_placed', {
			order_id: 'PO-2',
			release_date: ymd(addLocalDays(localDateTime(await env.currentTimeMs(), zone), -3))
		});
		const lateResult: JourneyResult = await late.handle.result();
		expect(reached(lateResult, 'out-email')! - reached(lateResult, 'wait-release')!).toBeLessThan(60_000);
		const waited = (await stepsOf(db, late.id)).find((s) => s.nodeId === 'wait-release' && s.kind === 'completed');
		expect(waited?.detail).toMatchObject({ past: true, timeZone: zone });

		// A date from a trait (an appointment), the evening before, in the customer's zone; no trait → exits there.
		const reminder = linearJourney({ id: 'trigger', type: 'trigger', entry: { kind: 'manual' } }, [
			{ id: 'eve', type: 'wait', mode: 'date', date: { source: 'trait', path: 'appointment.date' }, time: '18:00', offsetDays: -1 },
			{ id: 'tag', type: 'updateProfile', set: { reminded: true } }
		]);
		const tokyo = 'Asia/Tokyo';
		const appointment = addLocalDays(localDateTime(await env.currentTimeMs(), tokyo), 5);
		const booked = await enter(reminder, await customerWithPhone(tokyo, { appointment: { date: `${ymd(appointment)}T10:30:00+09:00` } }), 'manual', {});
		const bookedResult: JourneyResult = await booked.handle.result();
		const eve = localDateTime(reached(bookedResult, 'tag')!, tokyo);
		const dayBefore = addLocalDays({ ...appointment, hour: 0, minute: 0, second: 0 }, -1);
		expect([eve.year, eve.month, eve.day, eve.hour, eve.minute]).toEqual([dayBefore.year, dayBefore.month, dayBefore.day, 18, 0]);

		const none = await enter(reminder, await customerWithPhone(tokyo), 'manual', {});
		const noneResult: JourneyResult = await none.handle.result();
		expect(noneResult).toMatchObject({ status: 'exited', reason: 'no date in trait appointment.date' });
		expect(noneResult.path.map((p) => p.nodeId)).toEqual(['trigger', 'eve']);
	});

	it('click & collect: the SMS when ready, the reminder two days later unless picked up', async () => {
		const def = clickAndCollectJourney();
		// Ordered for pickup in Lyon by a customer whose own store is Paris: the call is Lyon's to make.
		const waiting = await enter(def, await customerWithPhone('Europe/Paris', { preferred_store: 'paris-01' }), 'order_ready', {
			order_id: 'order-aaa',
			store_id: 'lyon-01',
			store_name: 'Lyon Presqu’île'
		});
		const result: JourneyResult = await waiting.handle.result();
		expect(result.path.map((p) => p.nodeId)).toEqual(['trigger', 'ready-sms', 'wait-pickup', 'reminder-sms', 'wait-reminder', 'store-call', 'exit']);
		expect(reached(result, 'reminder-sms')! - reached(result, 'ready-sms')!).toBeGreaterThanOrEqual(2 * DAY);
		const sent = await db.db.select().from(messages).where(eq(messages.enrollmentId, waiting.id));
		expect(sent.map((m) => m.nodeId).sort()).toEqual(['ready-sms', 'reminder-sms']);
		expect(sent.find((m) => m.nodeId === 'ready-sms')!.body).toContain('order-aaa is ready at Lyon Presqu’île');
		const [task] = await db.db.select().from(storeTasks).where(eq(storeTasks.enrollmentId, waiting.id));
		expect(task).toMatchObject({ nodeId: 'store-call', storeId: 'lyon-01', status: 'open' });

		const customerId = await customerWithPhone('Europe/Paris');
		const collected = await enter(def, customerId, 'order_ready', { order_id: 'order-bbb', store_name: 'Lyon Presqu’île' });
		await expect.poll(async () => (await stepsOf(db, collected.id)).some((s) => s.nodeId === 'wait-pickup'), { timeout: 20_000, interval: 100 }).toBe(true);
		await routeEvent(router, await storeEvent(db, customerId, 'order_picked_up', { order_id: 'order-bbb' }));
		const collectedResult: JourneyResult = await collected.handle.result();
		expect(collectedResult.status).toBe('converted');
		expect(collectedResult.path.map((p) => p.nodeId)).not.toContain('reminder-sms');
		const texts = await db.db.select().from(messages).where(eq(messages.enrollmentId, collected.id));
		expect(texts.map((m) => m.nodeId)).toEqual(['ready-sms']);
	});
});
