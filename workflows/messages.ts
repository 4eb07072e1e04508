/**
 * Everything the web app, the worker and the workflows agree on, declared once. The web app imports this file
 * (never the workflow bodies) to start, signal and query workflows.
 */

/** Task queue served by the worker; a deployment may override it with TEMPORAL_TASK_QUEUE. */
export const DEFAULT_TASK_QUEUE = 'omnicanal';
