import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleepy } from '../fixtures/workflows/sleepy.js';
import { connectToSharedDevServer } from '../helpers/temporal.js';

const workflowsPath = fileURLToPath(new URL('../fixtures/workflows/sleepy.ts', import.meta.url));

describe('shared dev server', () => {
	let env: TestWorkflowEnvironment;
	beforeAll(async () => {
		env = await connectToSharedDevServer();
	});
	afterAll(async () => {
		await env?.teardown();
	});

	it('runs a workflow with a real 1-second timer', async () => {
		const taskQueue = `sleepy-${randomUUID()}`;
		const worker = await Worker.create({
			connection: env.nativeConnection,
			namespace: env.namespace,
			workflowsPath,
			taskQueue
		});
		const wallStart = Date.now();
		const result = await worker.runUntil(env.client.workflow.execute(sleepy, { args: ['1 second'], taskQueue, workflowId: randomUUID() }));

		expect(result.finishedAt - result.startedAt).toBeGreaterThanOrEqual(1_000);
		expect(Date.now() - wallStart).toBeGreaterThanOrEqual(1_000); // no time skipping here
	});
});
