import { EVENT_BRANCH, TIMEOUT_BRANCH } from '../../core/graph/branches';
import { durationToMs } from '../../core/graph/time';
import type { WaitForEventNode } from '../../core/graph/nodes';
import type { Enrollment } from '../enrollment';
import { STOP, type NodeOutcome } from './outcome';

/** Leaves by `event` when a matching event arrives within the timeout, else by `timeout`. */
export async function runWaitForEvent(run: Enrollment, node: WaitForEventNode): Promise<NodeOutcome> {
	const event = await run.waitForEvent(node, durationToMs(node.timeout));
	if (event) {
		run.note({ nodeId: node.id, kind: 'branch', branch: EVENT_BRANCH, detail: { eventId: event.id } });
		return { branch: EVENT_BRANCH };
	}
	if (run.interrupt) return STOP;
	run.note({ nodeId: node.id, kind: 'branch', branch: TIMEOUT_BRANCH });
	return { branch: TIMEOUT_BRANCH };
}
