import { createRouter, type Router } from '$core/routing/index';
import { appEnv, database, temporal } from './context';

const KEY = Symbol.for('omnicanal.router');
type Holder = { [KEY]?: Promise<Router> };

/** The web process's router (trigger cache included), created on first use. */
export function router(): Promise<Router> {
	const holder = globalThis as Holder;
	const pending = (holder[KEY] ??= (async () => {
		const [{ db }, client] = await Promise.all([database(), temporal()]);
		return createRouter({ db, temporal: client, taskQueue: appEnv().TEMPORAL_TASK_QUEUE });
	})());
	pending.catch(() => {
		if (holder[KEY] === pending) delete holder[KEY];
	});
	return pending;
}
