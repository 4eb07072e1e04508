/** What a node handler decided: leave by a branch (undefined = the single default output) or stop here. */
export type NodeOutcome = { branch?: string } | { stop: true };

export const NEXT: NodeOutcome = {};
export const STOP: NodeOutcome = { stop: true };
