/**
 * Scheduled entry: a journey whose trigger is a schedule has one Temporal Schedule (kept in step with the journey by
 * `syncJourneySchedule`), whose runs (workflows/scheduled-entry.ts) enter the segment's members via these functions.
 */
export { journeyScheduleInfo, type JourneyScheduleInfo } from './info';
export { journeySchedulePlan, type JourneySchedulePlan } from './live';
export { enterScheduledPage, planScheduledRun } from './run';
export { journeyScheduleOptions } from './spec';
export { reconcileSchedules, startScheduleReconcileLoop, syncJourneySchedule, type ScheduleDeps, type SyncOutcome } from './sync';
