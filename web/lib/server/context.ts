import type { Client } from '@temporalio/client';
import type { RequestEvent } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';
import { loadEnv, type AppEnv } from '$core/config/env';
import { closeSharedDb, sharedDb, targetFromEnv, type DbHandle } from '$core/db/client';
import { connectClient, TEMPORAL_DEADLINES } from '$core/temporal/connection';

/**
 * The server-side dependencies of the web app, created once per process. Under `npm start` the start script
 * has already opened the database (shared through globalThis) and set TEMPORAL_ADDRESS.
 */
/** The settings a request started with. */
const requestEnvs = new WeakMap<RequestEvent, AppEnv>();

/**
 * The settings, read once per request: a request asks for them several times, and checking process.env for a change
 * (49 variables, each a call into the C++ runtime) was the largest single cost of our code in a single-event ingest
 * request. Outside a request they are read per call (a parse is reused until a setting changes), so tests that
 * restart the product in one process see their settings.
 */
export function appEnv(): AppEnv {
	const event = currentRequest();
	if (!event) return loadEnv();
	let env = requestEnvs.get(event);
	if (!env) requestEnvs.set(event, (env = loadEnv()));
	return env;
}

function currentRequest(): RequestEvent | null {
	try {
		return getRequestEvent();
	} catch {
		return null; // not within a request (start-up, shutdown)
	}
}

export function database(): Promise<DbHandle> {
	return sharedDb(targetFromEnv(appEnv()));
}

const TEMPORAL_KEY = Symbol.for('omnicanal.temporal-client');
type Holder = { [TEMPORAL_KEY]?: Promise<Client> };

/** After a failed connection, callers get that failure at once for this long rather than each waiting to connect. */
const RECONNECT_AFTER_MS = 2_000;

/**
 * The Temporal client. Connecting gives up quickly (TEMPORAL_DEADLINES.webConnectMs); a failed connection is kept
 * for RECONNECT_AFTER_MS, so a burst of requests during an outage fails fast together, then forgotten so the next
 * call tries again.
 */
export function temporal(): Promise<Client> {
	const e = appEnv();
	if (!e.TEMPORAL_ADDRESS) return Promise.reject(new Error('TEMPORAL_ADDRESS is not set'));
	const holder = globalThis as Holder;
	const pending = (holder[TEMPORAL_KEY] ??= connectClient({ ...e, TEMPORAL_ADDRESS: e.TEMPORAL_ADDRESS }, TEMPORAL_DEADLINES.webConnectMs));
	pending.catch(() => {
		setTimeout(() => {
			if (holder[TEMPORAL_KEY] === pending) delete holder[TEMPORAL_KEY];
		}, RECONNECT_AFTER_MS).unref();
	});
	return pending;
}

/**
 * Graceful shutdown under `node build`: adapter-node stops accepting connections on SIGTERM/SIGINT, waits for the
 * requests in flight (at most SHUTDOWN_TIMEOUT seconds), then emits `sveltekit:shutdown`; closing the database pool
 * and the Temporal connection here lets the event loop empty and the process exit 0. (Under `npm start` the start
 * script owns these and the event never fires.)
 */
const SHUTDOWN_KEY = Symbol.for('omnicanal.web-shutdown');
if (!(globalThis as { [SHUTDOWN_KEY]?: true })[SHUTDOWN_KEY]) {
	(globalThis as { [SHUTDOWN_KEY]?: true })[SHUTDOWN_KEY] = true;
	process.once('sveltekit:shutdown', () => {
		const holder = globalThis as Holder;
		const client = holder[TEMPORAL_KEY];
		delete holder[TEMPORAL_KEY];
		void Promise.allSettled([closeSharedDb(), client?.then((c) => c.connection.close())]).then((results) => {
			for (const r of results) if (r.status === 'rejected') console.error('shutdown:', r.reason);
		});
	});
}
