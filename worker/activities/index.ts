import type { Db } from '../../core/db/client';

export interface ActivityDeps {
	db: Db;
}

/**
 * Activities get their dependencies injected (Temporal samples' dependency-injection pattern); workflows import
 * only the type `Activities` and call them through proxies.
 */
export function createActivities(_deps: ActivityDeps) {
	return {};
}

export type Activities = ReturnType<typeof createActivities>;
