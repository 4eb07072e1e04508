import { runPeriodically } from '../jobs/periodic';
import { routePending, type Router } from './route';

/**
 * Sweeps unrouted events every `intervalMs` until stopped. While Temporal (or the database) is down each pass gives
 * up at the first event it cannot route, and logs that once per outage rather than every tick; the first pass after
 * it is back routes the backlog, oldest first.
 */
export function startRoutingLoop(router: Router, intervalMs = 2_000, log: (m: string) => void = console.error): { stop(): Promise<void> } {
	let outage = false;
	return runPeriodically(async () => {
		try {
			const { routed, failed, unavailable } = await routePending(router);
			if (unavailable && !outage) log('routing: Temporal or the database is unavailable; unrouted events wait and are retried every few seconds');
			if (!unavailable && outage) log(`routing: dependencies are back; ${routed} waiting event(s) routed`);
			outage = unavailable;
			if (failed > 0) log(`routing: ${failed} event(s) could not be routed yet; will retry`);
		} catch (err) {
			log(`routing sweep failed: ${err instanceof Error ? err.message : String(err)}`);
		}
	}, intervalMs);
}
