import { conditionNeeds, pickConditionBranch } from '../../core/graph/conditions';
import type { ConditionNode } from '../../core/graph/nodes';
import type { Enrollment } from '../enrollment';
import { progress } from '../proxies';
import type { NodeOutcome } from './outcome';

/** Loads exactly what the branches read, then evaluates them purely: the first match wins, else `else`. */
export async function runCondition(run: Enrollment, node: ConditionNode): Promise<NodeOutcome> {
	const entryEvent = run.entryEvent && { name: run.entryEvent.name, properties: run.entryEvent.properties, timestamp: run.entryEvent.timestamp };
	// The entry event only decides which SKUs a stock condition loads (local activity input, not replayed state).
	const loaded = await progress.loadConditionContext(run.ref, conditionNeeds(node, entryEvent));
	const branch = pickConditionBranch(node, { ...loaded, now: Date.now(), entryEvent });
	run.note({ nodeId: node.id, kind: 'branch', branch });
	return { branch };
}
