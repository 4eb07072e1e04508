import type { Enrollment } from '../enrollment';
import { progress } from '../proxies';

/**
 * A journey with an entry rate (settings.throttle.entries) lets customers in at that pace, shared by every
 * worker: each new enrollment takes its turn (in arrival order) and waits for it at the trigger in a durable
 * timer, shown as `held: queued` on the trigger. A 200,000-person segment then spreads out over time.
 */
export async function waitForEntryTurn(run: Enrollment, triggerId: string): Promise<void> {
	const rate = run.def.settings.throttle?.entries;
	if (!rate) return;
	const turn = await progress.reserveEntryTurn(run.ref, rate, Date.now());
	if (turn <= Date.now()) return;
	run.note({ nodeId: triggerId, kind: 'held', reason: 'queued', detail: { until: turn } });
	await run.flush();
	await run.sleep(turn - Date.now());
}
