import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { enrol } from '../../core/routing/index';
import { EVENT_BRANCH, TIMEOUT_BRANCH } from '../../core/graph/branches';
import type { JourneyDefinition } from '../../core/graph/definition';
import { freshDb } from '../helpers/db';
import { insertCustomer, journeyBundle, journeyWorker, linearJourney, publishTestJourney, testRouter } from '../helpers/journeys';
import { createTimeSkippingEnv } from '../helpers/temporal';

/**
 * Enrollments in flight when a worker is upgraded are replayed by the new workflow code: it must issue the same
 * commands their histories hold (else the workflow fails with a non-determinism error). The histories in
 * tests/fixtures/histories were recorded by earlier interpreter code and are replayed here by today's: `v1-` by the
 * `journey` workflow before its progress-at-durable-points patch, `v1-patched-` by it after, `v2-` by `journeyV2`.
 * `RECORD_HISTORIES=<prefix>` records the journeys below again (with the current code) under that prefix.
 */
const dir = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));
const manual = { id: 'trigger', type: 'trigger' as const, entry: { kind: 'manual' as const } };

const journeys: Record<string, { def: JourneyDefinition; traits?: Record<string, unknown> }> = {
	'email-sms': {
		def: linearJourney(manual, [
			{ id: 'email', type: 'sendEmail', subject: 'Hello', text: 'Welcome' },
			{ id: 'sms', type: 'sendSms', body: 'See you in store' }
		]),
		traits: { email: 'ana@example.com', phone: '+33612345678' }
	},
	'wait-update': {
		def: linearJourney(manual, [
			{ id: 'wait', type: 'wait', mode: 'duration', duration: { amount: 2, unit: 'days' } },
			{ id: 'tag', type: 'updateProfile', set: { vip: true } }
		])
	},
	'wait-for-event-timeout': {
		def: {
			schemaVersion: 1,
			nodes: [
				manual,
				{ id: 'listen', type: 'waitForEvent', event: 'Order Completed', timeout: { amount: 1, unit: 'days' } },
				{ id: 'bought', type: 'exit' },
				{ id: 'gave-up', type: 'exit' }
			],
			edges: [
				{ id: '1', source: 'trigger', target: 'listen' },
				{ id: '2', source: 'listen', sourceHandle: EVENT_BRANCH, target: 'bought' },
				{ id: '3', source: 'listen', sourceHandle: TIMEOUT_BRANCH, target: 'gave-up' }
			],
			settings: { reentry: { mode: 'never' }, exitCriteria: [] }
		}
	}
};

describe.runIf(process.env.RECORD_HISTORIES)('recording journey histories', () => {
	let env: TestWorkflowEnvironment | undefined;
	afterAll(async () => env?.teardown());

	it('runs each journey to its end and saves its history', async () => {
		env = await createTimeSkippingEnv();
		const db = await freshDb('pglite');
		const taskQueue = `record-${randomUUID()}`;
		const worker = await journeyWorker(env.nativeConnection, db, taskQueue);
		const router = testRouter(db, env.client, taskQueue);
		mkdirSync(dir, { recursive: true });
		await worker.runUntil(async () => {
			for (const [name, { def, traits }] of Object.entries(journeys)) {
				const live = await publishTestJourney(db, def);
				const customerId = await insertCustomer(db, { traits });
				const result = await enrol(router, live, customerId, { id: `entry-${randomUUID()}`, name: 'entry', properties: {}, timestamp: Date.now() });
				if (!result.enrolled) throw new Error(`not enrolled: ${result.reason}`);
				const handle = env!.client.workflow.getHandle(result.enrollmentId);
				await handle.result();
				const history = await handle.fetchHistory();
				expect(history.events?.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
				// Binary protobuf: this SDK's JSON history reader (historyFromJSON) fails on its duplicate protobufjs.
				writeFileSync(`${dir}${process.env.RECORD_HISTORIES}-${name}.history.pb`, temporal.api.history.v1.History.encode(history).finish());
			}
		});
		await db.close();
	});
});

describe('replaying histories recorded by earlier interpreter code', () => {
	const files = readdirSync(dir).filter((f) => f.endsWith('.history.pb'));

	it('has histories to replay', () => {
		expect(files.length).toBeGreaterThanOrEqual(3);
	});

	it.each(files)('%s replays without non-determinism', async (file) => {
		const history = temporal.api.history.v1.History.decode(readFileSync(`${dir}${file}`));
		await expect(Worker.runReplayHistory({ workflowBundle: await journeyBundle() }, history, `replay-${file}`)).resolves.toBeUndefined();
	});
});
