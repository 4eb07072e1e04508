/**
 * Runs `task` every `intervalMs`, one run at a time, until stopped; `stop` waits for a run in progress. A tick that
 * finds the previous run still going is skipped, not queued: after a slow run (a dependency was down) the next one
 * starts on the next tick instead of a backlog of runs firing back to back. Failures are the task's to report.
 */
export function runPeriodically(task: () => Promise<void>, intervalMs: number): { stop(): Promise<void> } {
	let stopped = false;
	let running: Promise<void> | null = null;
	const timer = setInterval(() => {
		if (stopped || running) return;
		running = task()
			.catch(() => {})
			.finally(() => {
				running = null;
			});
	}, intervalMs);
	return {
		async stop() {
			stopped = true;
			clearInterval(timer);
			await running;
		}
	};
}
