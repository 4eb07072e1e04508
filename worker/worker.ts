import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type { AppEnv } from '../core/config/env';
import { connectionOptions } from '../core/temporal/connection';
import { createActivities, type ActivityDeps } from './activities/index';

/** Bounds of a worker's graceful shutdown: in-flight activities (a send, a webhook) finish within the grace time. */
export const WORKER_SHUTDOWN = { graceMs: 10_000, forceMs: 20_000 } as const;

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export type WorkerSettings = Pick<
	AppEnv,
	'LOG_LEVEL' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY'
> & {
	TEMPORAL_ADDRESS: string;
};

/**
 * Builds the worker that runs journeys: workflows from workflows/ (bundled from source, or a prebuilt bundle in
 * production) and activities wired to the database and the channel providers.
 */
export async function createWorker(
	settings: WorkerSettings,
	deps: ActivityDeps,
	extra: Partial<Pick<WorkerOptions, 'workflowBundle' | 'maxConcurrentActivityTaskExecutions'>> = {}
): Promise<{ worker: Worker; connection: NativeConnection }> {
	installRuntime(settings.LOG_LEVEL);
	const { address, tls } = connectionOptions(settings);
	const connection = await NativeConnection.connect({ address, tls, apiKey: settings.TEMPORAL_API_KEY });
	const worker = await Worker.create({
		connection,
		namespace: settings.TEMPORAL_NAMESPACE,
		taskQueue: settings.TEMPORAL_TASK_QUEUE,
		activities: createActivities(deps),
		...(extra.workflowBundle ? { workflowBundle: extra.workflowBundle } : { workflowsPath }),
		maxConcurrentActivityTaskExecutions: extra.maxConcurrentActivityTaskExecutions ?? 50,
		// On shutdown (the SDK's runtime calls it on SIGINT/SIGTERM) activities in flight get this long to finish
		// before they are cancelled; then the worker gives up at once rather than hang the process.
		shutdownGraceTime: WORKER_SHUTDOWN.graceMs,
		shutdownForceTime: WORKER_SHUTDOWN.forceMs
	});
	return { worker, connection };
}

/** The SDK's runtime is process-wide and can be installed once; later workers in the process reuse it. */
function installRuntime(level: AppEnv['LOG_LEVEL']): void {
	if (Runtime.instantiator) return;
	Runtime.install({ logger: new DefaultLogger(level) });
}
