import type { ProgressUpdate } from '../../core/enrollment/activities';

/**
 * What a node handler decided: leave by a branch (undefined = the single default output), stop here, or `finished`:
 * an action's activity wrote the journey's end (its next step was the exit, see Enrollment.finishAfter).
 */
export type NodeOutcome = { branch?: string } | { stop: true } | { finished: ProgressUpdate };

export const NEXT: NodeOutcome = {};
export const STOP: NodeOutcome = { stop: true };
