import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/db/client';
import { enrollments } from '../../core/db/schema/journeys';
import { messages } from '../../core/db/schema/messages';
import { offers, storeTasks } from '../../core/db/schema/offers';
import { adToStoreJourney } from '../../core/graph/examples';
import { routeEvent, type Router } from '../../core/routing/index';
import { stateQuery, type JourneyResult } from '../../core/enrollment/contract';
import { freshDb } from '../helpers/db';
import { insertCustomer, journeyWorker, publishTestJourney, stepsOf, storeEvent, testRouter } from '../helpers/journeys';
import { createTimeSkippingEnv } from '../helpers/temporal';

/**
 * The headline journey — retargeting ad → offer → email → wait for an order → SMS → in-store offer — with the
 * real activities (channels on the local outbox) and routing from stored events, on Temporal's time-skipping
 * server so its days pass in seconds.
 */
describe('headline journey: ad → offer → email → order or SMS → store', () => {
	let env: TestWorkflowEnvironment;
	let db: DbHandle;
	let worker: Worker;
	let running: Promise<void>;
	let router: Router;
	const taskQueue = `headline-${randomUUID()}`;

	beforeAll(async () => {
		[env, db] = await Promise.all([createTimeSkippingEnv(), freshDb('pglite')]);
		worker = await journeyWorker(env.nativeConnection, db, taskQueue);
		running = worker.run();
		router = testRouter(db, env.client, taskQueue);
		await publishTestJourney(db, adToStoreJourney, 'Ad to store');
	});
	afterAll(async () => {
		worker?.shutdown();
		await running;
		await env?.teardown();
		await db?.close();
	});

	async function clickAd(traits: Record<string, unknown>) {
		const customerId = await insertCustomer(db, { traits });
		await routeEvent(router, await storeEvent(db, customerId, 'ad_clicked', { campaign: 'spring', fbclid: 'fb.1' }));
		const [row] = await db.db.select().from(enrollments).where(eq(enrollments.customerId, customerId));
		expect(row?.id).toMatch(/^journey:.+:1$/);
		return { customerId, enrollmentId: row!.id, handle: env.client.workflow.getHandle(row!.id) };
	}

	async function sent(customerId: string, channel: 'email' | 'sms') {
		return db.db
			.select()
			.from(messages)
			.where(and(eq(messages.customerId, customerId), eq(messages.channel, channel)));
	}

	it('a customer who orders after the email leaves as converted', async () => {
		const { customerId, enrollmentId, handle } = await clickAd({ email: 'ana@example.com', phone: '+33612345678', firstName: 'Ana' });
		// Skip time only once the one-day timer exists: skipping earlier would leave it a day ahead of the clock.
		await expect.poll(async () => (await handle.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes) ?? false, { timeout: 20_000 }).toBe(true);
		// Past the one-day wait, and past the journey's quiet hours (21:00–08:00) if the skipped clock lands in them:
		// half-day steps never overshoot the 2-day wait for an order that follows the email.
		await env.sleep('24 hours');
		for (let i = 0; i < 3 && (await sent(customerId, 'email')).length === 0; i++) await env.sleep('12 hours');
		await expect.poll(async () => (await sent(customerId, 'email')).length, { timeout: 20_000 }).toBe(1);
		const [offer] = await db.db.select().from(offers).where(eq(offers.customerId, customerId));
		const [email] = await sent(customerId, 'email');
		expect(email!.provider).toBe('outbox');
		expect(email!.body).toContain(offer!.code);
		expect(email!.subject).toContain('Ana');

		await expect.poll(async () => (await handle.query(stateQuery)).currentNodeId, { timeout: 20_000 }).toBe('wait-order');
		await routeEvent(router, await storeEvent(db, customerId, 'order_completed', { order_id: 'o-1', total: 80 }));
		const result: JourneyResult = await handle.result();
		expect(result.status).toBe('converted');
		expect(result.path.map((p) => p.nodeId)).toEqual(['trigger', 'offer', 'wait-1d', 'email', 'wait-order', 'exit-converted']);
		expect(await sent(customerId, 'sms')).toHaveLength(0);
		const kinds = (await stepsOf(db, enrollmentId)).map((s) => `${s.nodeId}:${s.kind}${s.branch ? `:${s.branch}` : ''}`);
		expect(kinds).toContain('wait-order:branch:event');
		expect(kinds).toContain('wait-order:converted');
	});

	it('a customer who does not order gets the SMS with the same code and a task at their store', async () => {
		const { customerId, enrollmentId, handle } = await clickAd({ email: 'bo@example.com', phone: '+33698765432', preferred_store: 'paris-01' });
		const result: JourneyResult = await handle.result();
		expect(result.status).toBe('completed');
		expect(result.path.map((p) => p.nodeId)).toEqual(['trigger', 'offer', 'wait-1d', 'email', 'wait-order', 'sms', 'store', 'exit']);

		const [offer] = await db.db.select().from(offers).where(eq(offers.customerId, customerId));
		const [email] = await sent(customerId, 'email');
		const [sms] = await sent(customerId, 'sms');
		expect(email!.body).toContain(offer!.code);
		expect(sms!.body).toContain(offer!.code);
		expect(sms!.to).toBe('+33698765432');
		const [task] = await db.db.select().from(storeTasks).where(eq(storeTasks.enrollmentId, enrollmentId));
		expect(task).toMatchObject({ storeId: 'paris-01', offerId: offer!.id, status: 'open' });
		const timeout = (await stepsOf(db, enrollmentId)).find((s) => s.nodeId === 'wait-order' && s.kind === 'branch');
		expect(timeout?.branch).toBe('timeout');
	});
});
