import { loadEnv } from '../core/config/env';
import { migrate, sharedDb, targetFromEnv } from '../core/db/index';
import { startInboxProcessor } from '../core/ingest/processor';
import { createRouter, routeAfterProcessing, startRoutingLoop } from '../core/routing/index';
import { startScheduleReconcileLoop } from '../core/scheduling/index';
import { startSegmentRefreshLoop } from '../core/segments/schedule';
import { connectClient } from '../core/temporal/connection';
import { activityDepsFromEnv } from './activities/index';
import { createWorker, WORKER_SHUTDOWN } from './worker';

/**
 * Standalone worker process for production (`tsx worker/main.ts`), against TEMPORAL_ADDRESS and DATABASE_URL.
 * The embedded default (`npm start`) runs the same worker inside scripts/start.ts instead.
 */
async function run(): Promise<void> {
	const env = loadEnv();
	// The SDK's runtime turns SIGINT/SIGTERM into Worker.shutdown (activities get WORKER_SHUTDOWN.graceMs to finish);
	// the loops and pools below close after it. Should anything still hang, the process exits anyway.
	let workerStarted = false;
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			console.log(`worker: ${signal}, shutting down`);
			if (!workerStarted) process.exit(0); // still starting: nothing in flight to finish
			setTimeout(() => {
				console.error('worker: shutdown did not finish in time; exiting');
				process.exit(1);
			}, WORKER_SHUTDOWN.forceMs + 10_000).unref();
		});
	}
	if (!env.TEMPORAL_ADDRESS) throw new Error('TEMPORAL_ADDRESS is required for a standalone worker (npm start embeds one).');
	const handle = await sharedDb(targetFromEnv(env));
	try {
		await migrate(handle);
		const { worker, connection } = await createWorker({ ...env, TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS }, activityDepsFromEnv(env, handle.db));
		workerStarted = true;
		const client = await connectClient({ ...env, TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS });
		const segmentRefresh = startSegmentRefreshLoop(handle.db);
		const router = createRouter({ db: handle.db, temporal: client, taskQueue: env.TEMPORAL_TASK_QUEUE });
		// Accepted ingest messages become events, profiles and routing here (several workers may run it).
		const processor = startInboxProcessor(handle.db, { batchSize: env.INGEST_PROCESSOR_BATCH, route: routeAfterProcessing(router) });
		const routing = startRoutingLoop(router);
		// Journeys' Temporal Schedules follow their journeys even when a change was made while Temporal was unreachable.
		const schedules = startScheduleReconcileLoop({ db: handle.db, temporal: client, taskQueue: env.TEMPORAL_TASK_QUEUE }, 60_000);
		console.log(`worker polling task queue "${env.TEMPORAL_TASK_QUEUE}" on ${env.TEMPORAL_ADDRESS}/${env.TEMPORAL_NAMESPACE}`);
		try {
			await worker.run();
		} finally {
			await processor.stop();
			await routing.stop();
			await schedules.stop();
			await segmentRefresh.stop();
			await client.connection.close();
			await connection.close();
		}
	} finally {
		await handle.close();
	}
}

run().catch((err) => {
	console.error(err);
	process.exit(1);
});
