import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../core/config/env';
import type { DbHandle } from '../../core/db/client';
import { customers } from '../../core/db/schema/customers';
import { stepLog } from '../../core/db/schema/journeys';
import { messages } from '../../core/db/schema/messages';
import { throttleSlots } from '../../core/db/schema/throttle';
import { enrol, type Router } from '../../core/routing/index';
import { activityDepsFromEnv, createActivities } from '../../worker/activities/index';
import { freshDb } from '../helpers/db';
import { journeyBundle, linearJourney, publishTestJourney, testRouter } from '../helpers/journeys';
import { createTimeSkippingEnv } from '../helpers/temporal';

const N = 200; // over three minutes of queue: each window fills and holds the rest
const RATE = 60; // per minute, as SEND_RATE_SMS=60/minute
const MINUTE = 60_000;

/**
 * 200 SMS through a journey under an SMS rate of 60 a minute, on Temporal's time-skipping test server (the dev
 * server cannot skip time; this one runs the same workflow and activity code, so ~3 minutes of queueing take
 * seconds). The turns come from PostgreSQL (PGlite here), as every worker replica would share them.
 */
describe('send throttling (time-skipping)', () => {
	let env: TestWorkflowEnvironment;
	let db: DbHandle;
	let worker: Worker;
	let router: Router;
	let running: Promise<void>;
	const taskQueue = `throttle-${randomUUID()}`;

	beforeAll(async () => {
		[env, db] = await Promise.all([createTimeSkippingEnv(), freshDb('pglite')]);
		worker = await Worker.create({
			connection: env.nativeConnection,
			taskQueue,
			workflowBundle: await journeyBundle(),
			maxConcurrentActivityTaskExecutions: 20,
			activities: createActivities(activityDepsFromEnv(loadEnv({ APP_SECRET: 'test-secret', SEND_RATE_SMS: `${RATE}/minute` }), db.db))
		});
		running = worker.run();
		router = testRouter(db, env.client, taskQueue);
	});
	afterAll(async () => {
		worker?.shutdown();
		await running;
		await env?.teardown();
		await db?.close();
	});

	it(`sends ${N} SMS at ${RATE}/min: in turn order, none twice, never more than ${RATE} in any minute, queued visibly`, async () => {
		const live = await publishTestJourney(
			db,
			linearJourney({ id: 'trigger', type: 'trigger', entry: { kind: 'manual' } }, [{ id: 'sms', type: 'sendSms', body: 'Spring sale' }])
		);
		const ids = Array.from({ length: N }, () => randomUUID());
		await db.db.insert(customers).values(ids.map((id, i) => ({ id, traits: { phone: `+3361${String(i).padStart(7, '0')}` } })));
		const enrollments: string[] = [];
		for (const id of ids) {
			const r = await enrol(router, live, id, { id: `entry-${id}`, name: 'entry', properties: {}, timestamp: Date.now() });
			if (!r.enrolled) throw new Error(r.reason);
			enrollments.push(r.enrollmentId);
		}
		// One at a time: time skips while a result is awaited, and hundreds of concurrent long polls overrun the test server.
		for (const id of enrollments) expect((await env.client.workflow.getHandle(id).result()).status).toBe('completed');

		const sent = await db.db.select().from(messages).where(inArray(messages.enrollmentId, enrollments)).orderBy(asc(messages.sentAt), asc(messages.id));
		// Each enrollment's SMS exactly once, all sent.
		expect(sent).toHaveLength(N);
		expect(new Set(sent.map((m) => m.enrollmentId)).size).toBe(N);
		expect(sent.every((m) => m.status === 'sent')).toBe(true);
		// Never more than RATE in any minute: the (i+RATE)-th send is at least a minute after the i-th.
		const times = sent.map((m) => m.sentAt!.getTime());
		for (let i = 0; i + RATE < times.length; i++) expect(times[i + RATE]! - times[i]!).toBeGreaterThanOrEqual(MINUTE);
		// Spread out, not dropped: ~N/RATE minutes from the first send to the last.
		expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(((N - RATE) / RATE) * MINUTE);
		// In turn order: every send at or after its turn, in the order turns were handed out. A send whose timer
		// fired late is checked again against the actual window (so it never bunches above the rate) and may be
		// held a moment more, behind later turns: on a loaded machine that happens to a few, never to many.
		const turns = await db.db.select().from(throttleSlots).where(eq(throttleSlots.bucket, 'channel:sms')).orderBy(asc(throttleSlots.slotAt));
		expect(turns).toHaveLength(N);
		const byKey = new Map(sent.map((m) => [m.idempotencyKey, m.sentAt!.getTime()]));
		for (const t of turns) expect(byKey.get(t.key)!).toBeGreaterThanOrEqual(t.slotAt.getTime());
		const sentInTurnOrder = turns.map((t) => byKey.get(t.key)!);
		let latest = 0;
		const aheadOfAnEarlierTurn = sentInTurnOrder.filter((at) => (at < latest ? true : ((latest = at), false))).length;
		expect(aheadOfAnEarlierTurn).toBeLessThanOrEqual(N / 20);
		// Visible while waiting: the step log shows the queue.
		const queued = await db.db.select().from(stepLog).where(inArray(stepLog.enrollmentId, enrollments));
		expect(queued.filter((s) => s.kind === 'held' && s.reason === 'queued').length).toBeGreaterThanOrEqual(N - RATE);
	}, 600_000);

	it('lets customers into a journey at its entry rate (10 a minute), queued at the trigger', async () => {
		const live = await publishTestJourney(
			db,
			linearJourney({ id: 'trigger', type: 'trigger', entry: { kind: 'manual' } }, [{ id: 'tag', type: 'updateProfile', set: { spring: true } }], {
				throttle: { entries: { max: 10, per: { amount: 1, unit: 'minutes' } } }
			})
		);
		const ids = Array.from({ length: 30 }, () => randomUUID());
		await db.db.insert(customers).values(ids.map((id) => ({ id, traits: {} })));
		const enrollments: string[] = [];
		for (const id of ids) {
			const r = await enrol(router, live, id, { id: `entry-${id}`, name: 'entry', properties: {}, timestamp: Date.now() });
			if (!r.enrolled) throw new Error(r.reason);
			enrollments.push(r.enrollmentId);
		}
		for (const id of enrollments) await env.client.workflow.getHandle(id).result();
		const steps = await db.db.select().from(stepLog).where(inArray(stepLog.enrollmentId, enrollments));
		const inside = steps
			.filter((s) => s.nodeId === 'tag' && s.kind === 'entered')
			.map((s) => s.at.getTime())
			.sort((a, b) => a - b);
		expect(inside).toHaveLength(30);
		// The entry rate paces turns (no send-time check here): turns are 10 a minute, and nobody goes in before theirs.
		const turns = await db.db
			.select()
			.from(throttleSlots)
			.where(eq(throttleSlots.bucket, `journey:${live.journeyId}:entries`))
			.orderBy(asc(throttleSlots.slotAt));
		expect(turns).toHaveLength(30);
		for (let i = 0; i + 10 < turns.length; i++) expect(turns[i + 10]!.slotAt.getTime() - turns[i]!.slotAt.getTime()).toBeGreaterThanOrEqual(MINUTE);
		expect(inside.at(-1)! - inside[0]!).toBeGreaterThanOrEqual(2 * MINUTE - 1000);
		expect(steps.filter((s) => s.nodeId === 'trigger' && s.kind === 'held' && s.reason === 'queued').length).toBeGreaterThanOrEqual(20);
	}, 300_000);
});
