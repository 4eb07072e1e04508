import { waitDelayMs } from '../../core/graph/time';
import type { WaitNode } from '../../core/graph/nodes';
import type { Enrollment } from '../enrollment';
import { progress } from '../proxies';
import { NEXT, STOP, type NodeOutcome } from './outcome';

/** Duration, until a date, or until a local time of day in the customer's zone (read when the wait starts). */
export async function runWait(run: Enrollment, node: WaitNode): Promise<NodeOutcome> {
	const customerZone = node.mode === 'localTime' ? await progress.customerTimeZone(run.ref) : undefined;
	const ms = waitDelayMs(node, Date.now(), { customer: customerZone, journeyDefault: run.def.settings.defaultTimeZone });
	if (await run.sleep(ms)) return STOP;
	run.note({ nodeId: node.id, kind: 'completed', detail: { waitedMs: ms } });
	return NEXT;
}
