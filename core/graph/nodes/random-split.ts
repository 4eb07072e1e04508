import { z } from 'zod';
import { HOLDOUT_BRANCH } from '../branches';
import { Id, Text, checkUniqueIds, nodeBase } from './common';

/** Weights are relative (1:1, 70:30, 2:1:1), they need not add up to 100. */
export const SplitVariant = z.object({ id: Id, label: Text, weight: z.number().positive() });
export type SplitVariant = z.infer<typeof SplitVariant>;

/**
 * A/B(/n) test. Assignment is a stable hash of customer and node (see `pickVariant`), so replays,
 * re-entries and reports agree. `holdoutPercent` of customers leave by `holdout`, which ends
 * their enrollment: the control group that receives nothing.
 */
export const RandomSplitNode = z
	.object({
		...nodeBase,
		type: z.literal('randomSplit'),
		variants: z.array(SplitVariant).min(1),
		holdoutPercent: z.number().min(0).lt(100).optional()
	})
	.superRefine((node, ctx) => checkUniqueIds(node.variants, 'variants', HOLDOUT_BRANCH, ctx));
export type RandomSplitNode = z.infer<typeof RandomSplitNode>;
