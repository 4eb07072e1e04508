export * from './count';
export * from './definition';
export { liveCustomer, segmentPredicate } from './compile';
export * from './refresh';
export { recordTransitions, transitionMessageId, type SegmentTransition } from './signals';
export * from './store';
export { startSegmentRefreshLoop } from './schedule';
