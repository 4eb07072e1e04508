import { routeEvents } from '$core/routing/index';
import { router } from './router';

/**
 * Hands freshly committed events to the journey router (enrol on triggers, signal running enrollments).
 * Fire-and-forget: the events are already durable, and the worker's sweep retries any that fail here.
 */
export function notifyRouter(eventIds: string[]): void {
	if (eventIds.length === 0) return;
	void router()
		.then((r) => routeEvents(r, eventIds))
		.catch((err) => console.error('routing deferred to the sweep:', err instanceof Error ? err.message : err));
}
