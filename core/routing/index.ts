import type { RoutingDeps } from './enrol';
import type { Router } from './route';
import { TriggerCache } from './triggers';

export { enrol, type EnrolResult, type RoutingDeps } from './enrol';
export { startRoutingLoop } from './loop';
export { exitEnrollments, routeAfterProcessing, routeEvent, routeEvents, routePending, ROUTING_CLAIM_MS, ROUTING_CONCURRENCY, type Router } from './route';
export { TriggerCache, type LiveJourney } from './triggers';

export function createRouter(deps: RoutingDeps): Router {
	return { ...deps, triggers: new TriggerCache(deps.db) };
}
