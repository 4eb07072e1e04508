import { routePending, type Router } from './route';

/** Sweeps unrouted events every `intervalMs` until stopped; one sweep at a time. */
export function startRoutingLoop(router: Router, intervalMs = 2_000, log: (m: string) => void = console.error): { stop(): Promise<void> } {
	let stopped = false;
	let current: Promise<void> = Promise.resolve();
	const tick = async () => {
		try {
			const { failed } = await routePending(router);
			if (failed > 0) log(`routing: ${failed} event(s) could not be routed yet; will retry`);
		} catch (err) {
			log(`routing sweep failed: ${err instanceof Error ? err.message : String(err)}`);
		}
	};
	const timer = setInterval(() => {
		if (stopped) return;
		current = current.then(tick);
	}, intervalMs);
	return {
		async stop() {
			stopped = true;
			clearInterval(timer);
			await current;
		}
	};
}
