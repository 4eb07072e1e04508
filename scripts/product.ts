import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppEnv } from '../core/config/env';
import type { DbHandle } from '../core/db/client';
import { startInboxProcessor } from '../core/ingest/processor';
import { createRouter, routeAfterProcessing, startRoutingLoop } from '../core/routing/index';
import { startScheduleReconcileLoop } from '../core/scheduling/index';
import { startSegmentRefreshLoop } from '../core/segments/schedule';
import { connectClient } from '../core/temporal/connection';
import { activityDepsFromEnv } from '../worker/activities/index';
import { createWorker } from '../worker/worker';
import { buildWebIfStale } from './build-if-stale';

export type ProductOptions = {
	root: string;
	env: AppEnv;
	/** Opened and migrated by the caller; the web app reaches the same handle through `sharedDb`. */
	db: DbHandle;
	temporalAddress: string;
	/** 0 picks a free port (tests). */
	port: number;
	log: (m: string) => void;
};

export type RunningProduct = { url: string; stop(): Promise<void> };

/**
 * The worker and the web app in this process — shared by `npm start` and the browser tests, so both exercise
 * the same boot path. Expects the database handle to be registered with `sharedDb` already.
 */
export async function startProduct(o: ProductOptions): Promise<RunningProduct> {
	const { worker, connection } = await createWorker({ ...o.env, TEMPORAL_ADDRESS: o.temporalAddress }, activityDepsFromEnv(o.env, o.db.db));
	const running = worker.run();
	// A worker that dies (its server gone for good, a fatal SDK error) must be said loudly, not crash the web app
	// with an unhandled rejection; `stop` still awaits it.
	running.catch((err: unknown) => o.log(`worker stopped: ${err instanceof Error ? err.message : String(err)}`));
	// The safety net for events whose immediate routing failed (Temporal was down, the process died).
	const temporalClient = await connectClient({ ...o.env, TEMPORAL_ADDRESS: o.temporalAddress });
	const segmentRefresh = startSegmentRefreshLoop(o.db.db);
	const router = createRouter({ db: o.db.db, temporal: temporalClient, taskQueue: o.env.TEMPORAL_TASK_QUEUE });
	// The worker's inbox processor: accepted ingest messages become events, profiles and routing (one process here).
	// PGlite runs one transaction at a time for the whole process, web requests included: smaller batches keep
	// pages and ingest answering while it works.
	const batchSize = o.db.kind === 'pglite' ? Math.min(100, o.env.INGEST_PROCESSOR_BATCH) : o.env.INGEST_PROCESSOR_BATCH;
	const processor = startInboxProcessor(o.db.db, { batchSize, route: routeAfterProcessing(router) });
	const routing = startRoutingLoop(router);
	// Journeys' Temporal Schedules follow their journeys even when a change was made while Temporal was unreachable.
	const schedules = startScheduleReconcileLoop({ db: o.db.db, temporal: temporalClient, taskQueue: o.env.TEMPORAL_TASK_QUEUE }, 60_000, o.log);

	buildWebIfStale(o.root, o.log);
	process.env.TEMPORAL_ADDRESS = o.temporalAddress;
	// adapter-node checks form posts' Origin against the request's origin. Unless ORIGIN is configured, derive it
	// from the Host header and our own plain-HTTP socket, so the app works as localhost and 127.0.0.1 alike.
	const fixedOrigin = Boolean(process.env.ORIGIN);
	if (!fixedOrigin) {
		process.env.PROTOCOL_HEADER = 'x-omnicanal-proto';
		process.env.HOST_HEADER = 'host';
	}
	const { handler } = (await import(pathToFileURL(join(o.root, 'build', 'handler.js')).href)) as { handler: RequestListener };
	const http = createServer((req, res) => {
		if (!fixedOrigin) req.headers['x-omnicanal-proto'] = 'http';
		handler(req, res);
	});
	await new Promise<void>((ok, fail) => http.once('error', fail).listen(o.port, ok));
	const port = (http.address() as AddressInfo).port;
	const url = o.env.PUBLIC_URL ?? `http://localhost:${port}`;

	return {
		url,
		async stop() {
			// Stop accepting; requests in flight get a few seconds to finish, then their connections are cut.
			const cut = setTimeout(() => http.closeAllConnections(), 5_000);
			await new Promise((ok) => http.close(ok));
			clearTimeout(cut);
			await processor.stop();
			await routing.stop();
			await schedules.stop();
			await segmentRefresh.stop();
			await temporalClient.connection.close();
			if (worker.getState() === 'RUNNING') worker.shutdown();
			await running;
			await connection.close();
		}
	};
}
