// Only re-exports: this file is the worker's `workflowsPath`, bundled into Temporal's deterministic sandbox.
export { journey, journeyV2 } from './journey';
export { ping } from './ping';
export { scheduledEntry } from './scheduled-entry';
