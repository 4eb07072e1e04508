/**
 * The journeys service: drafts, publishing immutable versions, status (pause, resume, stop) and the reads the
 * pages and the JSON API need. Database only: entering customers and ending enrollments go through
 * core/routing, which needs Temporal, and are left to the caller.
 */
export { blankDefinition } from './blank';
export { activeEnrollmentIds, getEnrollment, listEnrollments, type EnrollmentDetail, type EnrollmentListItem, type LabelledStep } from './enrollments';
export { JourneyError, type JourneyErrorCode } from './errors';
export * from './input';
export {
	createJourney,
	duplicateJourney,
	getJourney,
	getJourneyWithValidation,
	listJourneys,
	updateDraft,
	validateDraft,
	type JourneySummary,
	type JourneyWithValidation,
	type Page
} from './journeys';
export { publish, setArchived, setStatus, type PublishResult, type StatusAction } from './lifecycle';
export { resolveCustomer } from './customers';
export { validateDefinition, type DraftProblem, type DraftValidation } from './validation';
export { getVersion, hasUnpublishedChanges, listVersions, type VersionSummary } from './versions';
