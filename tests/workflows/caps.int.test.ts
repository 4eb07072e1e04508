import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/db/client';
import { messages } from '../../core/db/schema/messages';
import type { JourneyDefinition } from '../../core/graph/definition';
import { enrol, type Router } from '../../core/routing/index';
import type { JourneyResult } from '../../core/enrollment/contract';
import { freshDb } from '../helpers/db';
import { insertCustomer, journeyWorker, linearJourney, publishTestJourney, stepsOf, testRouter } from '../helpers/journeys';
import { createTimeSkippingEnv } from '../helpers/temporal';

const DAY = 24 * 3600 * 1000;
const manual = { id: 'trigger', type: 'trigger' as const, entry: { kind: 'manual' as const } };

/** Two marketing messages a week on any channel; the third marketing step skips or waits; an order-ready SMS is exempt. */
function weekly(whenCapped: 'skip' | 'wait'): JourneyDefinition {
	return linearJourney(
		manual,
		[
			{ id: 'mail-1', type: 'sendEmail', subject: 'New season', text: 'Hello' },
			{ id: 'sms-1', type: 'sendSms', body: 'New season in store' },
			{ id: 'ready', type: 'sendSms', body: 'Your order is ready', purpose: 'transactional' },
			{ id: 'mail-2', type: 'sendEmail', subject: 'Last days', text: 'Hello again', whenCapped }
		],
		{ frequencyCaps: [{ channel: 'all', max: 2, per: { amount: 7, unit: 'days' } }] }
	);
}

describe('frequency caps across channels in a journey (time-skipping)', () => {
	let env: TestWorkflowEnvironment;
	let db: DbHandle;
	let worker: Worker;
	let router: Router;
	let running: Promise<void>;
	const taskQueue = `caps-${randomUUID()}`;

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

	async function run(def: JourneyDefinition) {
		const customerId = await insertCustomer(db, { traits: { email: 'ada@example.com', phone: '+33612345678' } });
		const live = await publishTestJourney(db, def);
		const entered = await enrol(router, live, customerId, { id: `entry-${randomUUID()}`, name: 'entry', properties: {}, timestamp: Date.now() });
		if (!entered.enrolled) throw new Error(`not enrolled: ${entered.reason}`);
		const result: JourneyResult = await env.client.workflow.getHandle(entered.enrollmentId).result();
		const sent = await db.db.select().from(messages).where(eq(messages.enrollmentId, entered.enrollmentId)).orderBy(asc(messages.createdAt));
		return { result, steps: await stepsOf(db, entered.enrollmentId), sent };
	}

	it('skips the third marketing message of the week when the step says skip; the exempt one is sent', async () => {
		const { result, steps, sent } = await run(weekly('skip'));
		expect(result.status).toBe('completed');
		expect(steps.filter((s) => s.kind !== 'entered').map((s) => `${s.nodeId}:${s.kind}${s.reason ? `:${s.reason}` : ''}`)).toEqual([
			'mail-1:completed',
			'sms-1:completed',
			'ready:completed',
			'mail-2:skipped:frequency_cap',
			'exit:exited:completed'
		]);
		expect(sent.map((m) => `${m.nodeId}:${m.status}`)).toEqual(['mail-1:sent', 'sms-1:sent', 'ready:sent', 'mail-2:skipped']);
	});

	it('holds it a week (durably, in the workflow) when the step says wait, then sends it once', async () => {
		const { result, steps, sent } = await run(weekly('wait'));
		expect(result.status).toBe('completed');
		const held = steps.find((s) => s.nodeId === 'mail-2' && s.kind === 'held')!;
		expect(held.reason).toBe('frequency cap');
		const done = steps.find((s) => s.nodeId === 'mail-2' && s.kind === 'completed')!;
		const first = sent.find((m) => m.nodeId === 'mail-1')!;
		expect(done.at.getTime() - first.sentAt!.getTime()).toBeGreaterThanOrEqual(7 * DAY);
		expect(done.at.getTime() - first.sentAt!.getTime()).toBeLessThan(8 * DAY);
		expect(sent.filter((m) => m.nodeId === 'mail-2')).toHaveLength(1);
		expect(sent.find((m) => m.nodeId === 'mail-2')!.status).toBe('sent');
	});
});
