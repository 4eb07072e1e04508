/**
 * Runs `task` every `intervalMs`, one run at a time (a slow run delays the next instead of overlapping it), until
 * stopped; `stop` waits for a run in progress. Failures are the task's to report.
 */
export function runPeriodically(task: () => Promise<void>, intervalMs: number): { stop(): Promise<void> } {
	let stopped = false;
	let current: Promise<void> = Promise.resolve();
	const timer = setInterval(() => {
		if (!stopped) current = current.then(task);
	}, intervalMs);
	return {
		async stop() {
			stopped = true;
			clearInterval(timer);
			await current;
		}
	};
}
