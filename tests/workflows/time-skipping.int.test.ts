import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleepy } from '../fixtures/workflows/sleepy.js';
import { createTimeSkippingEnv } from '../helpers/temporal.js';

const workflowsPath = fileURLToPath(new URL('../fixtures/workflows/sleepy.ts', import.meta.url));
const DAY = 24 * 60 * 60 * 1000;

describe('time-skipping test server', () => {
	let env: TestWorkflowEnvironment;
	beforeAll(async () => {
		env = await createTimeSkippingEnv();
	});
	afterAll(async () => {
		await env?.teardown();
	});

	it('runs a 3-day sleep as 3 days of workflow time', async () => {
		const taskQueue = `sleepy-${randomUUID()}`;
		const worker = await Worker.create({ connection: env.nativeConnection, workflowsPath, taskQueue });
		const result = await worker.runUntil(env.client.workflow.execute(sleepy, { args: ['3 days'], taskQueue, workflowId: randomUUID() }));

		expect(result.finishedAt - result.startedAt).toBeGreaterThanOrEqual(3 * DAY);
	});
});
