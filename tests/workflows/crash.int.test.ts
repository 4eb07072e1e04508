import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/db/client';
import { enrollments } from '../../core/db/schema/journeys';
import { messages } from '../../core/db/schema/messages';
import { enrol, routeEvent } from '../../core/routing/index';
import { stateQuery } from '../../core/enrollment/contract';
import { freshDb } from '../helpers/db';
import { insertCustomer, publishTestJourney, stepsOf, storeEvent, testRouter } from '../helpers/journeys';
import { connectToSharedDevServer } from '../helpers/temporal';

const workerScript = fileURLToPath(new URL('../fixtures/worker-process.ts', import.meta.url));

/** Node itself with tsx's loader (not tsx's CLI, which runs the script in a child of its own that SIGKILL would orphan). */
function startWorker(env: Record<string, string>): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', workerScript], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	return new Promise((resolve, reject) => {
		const onData = (buf: Buffer) => {
			output += buf.toString();
			if (output.includes('worker ready')) resolve(child);
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', (buf: Buffer) => (output += buf.toString()));
		child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
	});
}

function kill(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve(); // already gone (a SIGKILLed child has no exit code)
		child.once('exit', () => resolve());
		child.kill('SIGKILL');
	});
}

/**
 * A worker process killed mid-journey (SIGKILL: no clean shutdown) and replaced by a new one, on the real
 * Temporal dev server: the journey completes, and each message goes out exactly once. Two processes share the
 * database, so this runs on PostgreSQL (TEST_DATABASE_URL; CI always sets it).
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('a worker crash mid-journey', () => {
	let env: TestWorkflowEnvironment;
	let db: DbHandle & { url?: string };
	const children: ChildProcess[] = [];

	beforeAll(async () => {
		[env, db] = await Promise.all([connectToSharedDevServer(), freshDb('postgres')]);
	});
	afterAll(async () => {
		await Promise.all(children.map(kill));
		await env?.teardown();
		await db?.close();
	});

	it('resumes on another worker without sending anything twice', async () => {
		const taskQueue = `crash-${randomUUID()}`;
		const workerEnv = {
			DATABASE_URL: db.url!,
			TEMPORAL_ADDRESS: env.address,
			TEMPORAL_NAMESPACE: env.namespace ?? 'default',
			TEMPORAL_TASK_QUEUE: taskQueue,
			APP_SECRET: 'test-secret'
		};
		const manual = { id: 'trigger', type: 'trigger' as const, entry: { kind: 'manual' as const } };
		const live = await publishTestJourney(db, {
			schemaVersion: 1,
			nodes: [
				manual,
				{ id: 'email', type: 'sendEmail', subject: 'Welcome', text: 'Hello' },
				{ id: 'order', type: 'waitForEvent', event: 'order_completed', timeout: { amount: 2, unit: 'days' } },
				{ id: 'sms', type: 'sendSms', body: 'Thanks for your order!' },
				{ id: 'exit', type: 'exit' },
				{ id: 'gave-up', type: 'exit' }
			],
			edges: [
				{ id: 'a', source: 'trigger', target: 'email' },
				{ id: 'b', source: 'email', target: 'order' },
				{ id: 'c', source: 'order', sourceHandle: 'event', target: 'sms' },
				{ id: 'd', source: 'sms', target: 'exit' },
				{ id: 'e', source: 'order', sourceHandle: 'timeout', target: 'gave-up' }
			],
			settings: { reentry: { mode: 'never' }, exitCriteria: [] }
		});
		const customerId = await insertCustomer(db, { traits: { email: 'crash@example.com', phone: '+14155550100' } });

		const first = await startWorker(workerEnv);
		children.push(first);
		const router = testRouter(db, env.client, taskQueue);
		const entered = await enrol(router, live, customerId, { id: `entry-${randomUUID()}`, name: 'entry', properties: {}, timestamp: Date.now() });
		if (!entered.enrolled) throw new Error(entered.reason);
		const handle = env.client.workflow.getHandle(entered.enrollmentId);
		// Kill once the wait's timer is in the history: the email is done and the workflow task completed.
		await expect.poll(async () => (await handle.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes) ?? false, { timeout: 30_000 }).toBe(true);
		expect((await handle.query(stateQuery)).currentNodeId).toBe('order');
		await kill(first);

		children.push(await startWorker(workerEnv));
		// The order arrives while the first worker is dead: the new one must pick the journey up from history.
		await routeEvent(router, await storeEvent(db, customerId, 'order_completed', { order_id: 'o-9' }));
		await expect
			.poll(async () => (await db.db.select().from(enrollments).where(eq(enrollments.id, entered.enrollmentId)))[0]?.status, { timeout: 60_000 })
			.toBe('completed');
		const path = (await handle.query(stateQuery).catch(() => null))?.path ?? (await stepsOf(db, entered.enrollmentId)).filter((s) => s.kind === 'entered');
		expect(path.map((p) => p.nodeId)).toEqual(['trigger', 'email', 'order', 'sms', 'exit']);

		const sent = await db.db.select().from(messages).where(eq(messages.enrollmentId, entered.enrollmentId));
		expect(sent.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
		const steps = await stepsOf(db, entered.enrollmentId);
		expect(steps.filter((s) => s.nodeId === 'email' && s.kind === 'completed')).toHaveLength(1);
	});
});
