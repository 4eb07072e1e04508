import { getPath } from '../../core/graph/match';
import { dateWaitInstant, resolveTimeZone, waitDelayMs } from '../../core/graph/time';
import type { WaitNode } from '../../core/graph/nodes';
import type { Enrollment } from '../enrollment';
import { progress } from '../proxies';
import { NEXT, STOP, type NodeOutcome } from './outcome';

type DateWait = Extract<WaitNode, { mode: 'date' }>;
const TRAITS_ONLY = { eventNames: [], offerNodeIds: [], messageNodeIds: [] };

/**
 * Until a date read from the entry event or a trait, at a time of day in the customer's zone. Deterministic: the
 * date and the zone are read once, by activities, when the wait starts; the instant is computed from them and the
 * workflow sleeps on a durable timer. A date already past continues at once (`past: true` in the step log); no
 * readable date ends the enrollment here.
 */
async function runDateWait(run: Enrollment, node: DateWait): Promise<NodeOutcome> {
	const customerZone = await progress.customerTimeZone(run.ref);
	const value =
		node.date.source === 'event'
			? getPath(run.entryEvent?.properties, node.date.path)
			: getPath((await progress.loadConditionContext(run.ref, TRAITS_ONLY)).traits, node.date.path);
	const zone = resolveTimeZone(customerZone, node.fallbackTimeZone, run.def.settings.defaultTimeZone);
	const at = dateWaitInstant(node, value, zone);
	if (at === null) {
		run.interrupt ??= { status: 'exited', reason: `no date in ${node.date.source === 'trait' ? 'trait' : 'event property'} ${node.date.path}` };
		return STOP;
	}
	const ms = Math.max(0, at - Date.now());
	if (await run.sleep(ms)) return STOP;
	run.note({
		nodeId: node.id,
		kind: 'completed',
		detail: { waitedMs: ms, until: new Date(at).toISOString(), timeZone: zone, ...(ms === 0 ? { past: true } : {}) }
	});
	return NEXT;
}

/** Duration, until a date, until a local time of day, or until a date from the customer's data (read when the wait starts). */
export async function runWait(run: Enrollment, node: WaitNode): Promise<NodeOutcome> {
	if (node.mode === 'date') return runDateWait(run, node);
	const customerZone = node.mode === 'localTime' ? await progress.customerTimeZone(run.ref) : undefined;
	const ms = waitDelayMs(node, Date.now(), { customer: customerZone, journeyDefault: run.def.settings.defaultTimeZone });
	if (await run.sleep(ms)) return STOP;
	run.note({ nodeId: node.id, kind: 'completed', detail: { waitedMs: ms } });
	return NEXT;
}
