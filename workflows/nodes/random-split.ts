import { HOLDOUT_BRANCH } from '../../core/graph/branches';
import { pickVariant } from '../../core/graph/hash';
import type { RandomSplitNode } from '../../core/graph/nodes';
import type { Enrollment } from '../enrollment';
import type { NodeOutcome } from './outcome';

/**
 * A/B/n by a stable hash of customer and node, so replays and reports agree. Holdout customers leave the
 * graph but stay enrolled until the goal's window closes: the control group is measured, not forgotten.
 */
export async function runRandomSplit(run: Enrollment, node: RandomSplitNode): Promise<NodeOutcome> {
	const variant = pickVariant(run.ref.customerId, node.id, node.variants, node.holdoutPercent);
	run.state.variant = variant;
	run.note({ nodeId: node.id, kind: 'branch', branch: variant });
	return variant === HOLDOUT_BRANCH ? { branch: HOLDOUT_BRANCH } : { branch: variant };
}
