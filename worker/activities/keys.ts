import { ApplicationFailure } from '@temporalio/activity';
import type { EnrollmentRef } from '../../workflows/messages';

/** The idempotency key of one pass through one step: a retried activity finds the work it already did. */
export function stepKey(ref: EnrollmentRef, nodeId: string, visit: number): string {
	return `${ref.enrollmentId}:${nodeId}:${visit}`;
}

/** A business failure that retrying cannot fix (a provider's 4xx, bad input): recorded, not retried. */
export function nonRetryable(message: string, details?: unknown): ApplicationFailure {
	return ApplicationFailure.create({ message, type: 'NonRetryable', nonRetryable: true, details: details === undefined ? [] : [details] });
}
