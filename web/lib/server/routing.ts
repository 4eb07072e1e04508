import { routeEvents } from '$core/routing/index';
import { router } from './router';

/** One line per outage, not one per request: while Temporal is down every ingest request would log the same thing. */
const LOG_EVERY_MS = 30_000;
let lastLogged = 0;
let suppressed = 0;

function logDeferred(err: unknown): void {
	const now = Date.now();
	if (now - lastLogged < LOG_EVERY_MS) {
		suppressed++;
		return;
	}
	const more = suppressed ? ` (and ${suppressed} more since the last report)` : '';
	console.error(`routing deferred to the sweep: ${err instanceof Error ? err.message : String(err)}${more}`);
	lastLogged = now;
	suppressed = 0;
}

/**
 * Hands freshly committed events to the journey router (enrol on triggers, signal running enrollments).
 * Fire-and-forget, and quick to give up (TEMPORAL_DEADLINES.webCallMs): the events are already durable, and the
 * worker's sweep routes any that fail here as soon as Temporal answers again.
 */
export function notifyRouter(eventIds: string[]): void {
	if (eventIds.length === 0) return;
	void router()
		.then((r) => routeEvents(r, eventIds))
		.catch(logDeferred);
}
