/**
 * Branch (edge `sourceHandle`) names with a fixed meaning. They equal the handle ids the builder
 * renders, so an edge drawn on the canvas is stored as-is.
 *
 * Single-output nodes (trigger, wait, every action) have no handle: their edge omits `sourceHandle`.
 */

/** `waitForEvent`: the awaited event arrived in time. */
export const EVENT_BRANCH = 'event';
/** `waitForEvent`: the timeout elapsed first. */
export const TIMEOUT_BRANCH = 'timeout';
/** `condition`: no branch matched. A condition branch may not use this id. */
export const ELSE_BRANCH = 'else';
/**
 * `randomSplit`: the customer fell in the holdout group. It is never wired: the interpreter ends the
 * enrollment (still recorded, so the holdout can be compared against the variants' conversions).
 */
export const HOLDOUT_BRANCH = 'holdout';
