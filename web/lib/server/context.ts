import type { Client } from '@temporalio/client';
import { loadEnv, type AppEnv } from '$core/config/env';
import { sharedDb, targetFromEnv, type DbHandle } from '$core/db/client';
import { connectClient } from '$core/temporal/connection';

/**
 * The server-side dependencies of the web app, created once per process. Under `npm start` the start script
 * has already opened the database (shared through globalThis) and set TEMPORAL_ADDRESS.
 */
/** Parsed per call (it is cheap) so that tests which restart the product in one process see their settings. */
export function appEnv(): AppEnv {
	return loadEnv();
}

export function database(): Promise<DbHandle> {
	return sharedDb(targetFromEnv(appEnv()));
}

const TEMPORAL_KEY = Symbol.for('omnicanal.temporal-client');
type Holder = { [TEMPORAL_KEY]?: Promise<Client> };

/** The Temporal client; a failed connection is forgotten so the next call retries. */
export function temporal(): Promise<Client> {
	const e = appEnv();
	if (!e.TEMPORAL_ADDRESS) return Promise.reject(new Error('TEMPORAL_ADDRESS is not set'));
	const holder = globalThis as Holder;
	const pending = (holder[TEMPORAL_KEY] ??= connectClient({ ...e, TEMPORAL_ADDRESS: e.TEMPORAL_ADDRESS }));
	pending.catch(() => {
		if (holder[TEMPORAL_KEY] === pending) delete holder[TEMPORAL_KEY];
	});
	return pending;
}
