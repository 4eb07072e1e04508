/**
 * Temporal environments for tests: the Java time-skipping test server for workflows with long waits,
 * and the dev server that the global setup (tests/setup/services.ts) starts once per run.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { inject } from 'vitest';
import { findTestServer } from '../../scripts/temporal/test-server.js';

declare module 'vitest' {
	export interface ProvidedContext {
		temporal: { address: string; namespace: string };
	}
}

/** Worker INFO logs (state changes, webpack stats) drown test output; warnings and errors stay. */
function quietRuntime(): void {
	try {
		Runtime.install({ logger: new DefaultLogger('WARN') });
	} catch {
		/* already installed or instantiated in this process: keep that one */
	}
}

/**
 * A time-skipping environment on a fresh test server (one per test file; time is global to it).
 * No `--enable-time-skipping`: the SDK's client unlocks skipping only while awaiting a result or
 * `env.sleep`, and that flag starts it unlocked ("Unbalanced lock and unlock calls" on the server).
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
	quietRuntime();
	const path = await findTestServer();
	// The SDK gives the server 5 s to answer; the JVM takes ~0.8 s idle but ~2–3.5 s on a busy
	// 2-core machine, so retry a start-up timeout rather than fail the file.
	for (let attempt = 1; ; attempt++) {
		try {
			return await TestWorkflowEnvironment.createTimeSkipping({
				server: { executable: { type: 'existing-path', path } }
			});
		} catch (err) {
			if (attempt >= 3 || !/did not start within/.test(String(err))) throw err;
			console.warn(`[test-server] start-up timed out (attempt ${attempt}), retrying`);
		}
	}
}

/** An environment on the run's shared dev server; `teardown()` only closes the connections. */
export async function connectToSharedDevServer(): Promise<TestWorkflowEnvironment> {
	quietRuntime();
	const { address, namespace } = inject('temporal');
	return TestWorkflowEnvironment.createFromExistingServer({ address, namespace });
}
