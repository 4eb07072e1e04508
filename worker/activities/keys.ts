import { ApplicationFailure, Context } from '@temporalio/activity';
import type { EnrollmentRef } from '../../core/enrollment/contract';

/** The idempotency key of one pass through one step: a retried activity finds the work it already did. */
export function stepKey(ref: EnrollmentRef, nodeId: string, visit: number): string {
	return `${ref.enrollmentId}:${nodeId}:${visit}`;
}

/** A business failure that retrying cannot fix (a provider's 4xx, bad input): recorded, not retried. */
export function nonRetryable(message: string, details?: unknown): ApplicationFailure {
	return ApplicationFailure.create({ message, type: 'NonRetryable', nonRetryable: true, details: details === undefined ? [] : [details] });
}

/**
 * "Now" for an activity's decisions (quiet hours, caps, offer expiry): when Temporal scheduled this attempt,
 * by the server's clock. In production that is the wall clock; under the time-skipping test server it is the
 * skipped-ahead time the workflow lives in, so tests of "3 days later" see 3 days later.
 */
export function activityNow(): Date {
	try {
		return new Date(Context.current().info.currentAttemptScheduledTimestampMs);
	} catch {
		return new Date(); // called outside an activity (a direct call in a test or script)
	}
}
