import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import type { Router } from './route';
import { TriggerCache } from './triggers';

export { enrol, type EnrolResult, type RoutingDeps } from './enrol';
export { startRoutingLoop } from './loop';
export { exitEnrollments, routeAfterProcessing, routeEvent, routeEvents, routePending, ROUTING_CLAIM_MS, ROUTING_CONCURRENCY, type Router } from './route';
export { TriggerCache, type LiveJourney } from './triggers';

export function createRouter(deps: { db: Db; temporal: Client; taskQueue: string }): Router {
	return { ...deps, triggers: new TriggerCache(deps.db) };
}
