import { runPeriodically } from '../jobs/periodic';
import { routePending, type Router } from './route';

/** Sweeps unrouted events every `intervalMs` until stopped. */
export function startRoutingLoop(router: Router, intervalMs = 2_000, log: (m: string) => void = console.error): { stop(): Promise<void> } {
	return runPeriodically(async () => {
		try {
			const { failed } = await routePending(router);
			if (failed > 0) log(`routing: ${failed} event(s) could not be routed yet; will retry`);
		} catch (err) {
			log(`routing sweep failed: ${err instanceof Error ? err.message : String(err)}`);
		}
	}, intervalMs);
}
