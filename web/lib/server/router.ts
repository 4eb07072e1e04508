import { createRouter, type Router } from '$core/routing/index';
import type { DbHandle } from '$core/db/client';
import { appEnv, database, temporal } from './context';

const KEY = Symbol.for('omnicanal.router');
type Cached = { db: Promise<DbHandle>; taskQueue: string; router: Promise<Router> };
type Holder = { [KEY]?: Cached };

/**
 * The web process's router (trigger cache included), created on first use and rebuilt when the database handle
 * or task queue it was made for changes (tests restart the product in one process with new ones).
 */
export function router(): Promise<Router> {
	const holder = globalThis as Holder;
	const db = database();
	const taskQueue = appEnv().TEMPORAL_TASK_QUEUE;
	const cached = holder[KEY];
	if (cached && cached.db === db && cached.taskQueue === taskQueue) return cached.router;
	const pending = (async () => {
		const [{ db: handle }, client] = await Promise.all([db, temporal()]);
		return createRouter({ db: handle, temporal: client, taskQueue });
	})();
	holder[KEY] = { db, taskQueue, router: pending };
	pending.catch(() => {
		if (holder[KEY]?.router === pending) delete holder[KEY];
	});
	return pending;
}
