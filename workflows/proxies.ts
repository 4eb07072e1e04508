import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { JourneyActivities } from '../core/enrollment/activities';

/**
 * Bookkeeping (step log, enrollment row) runs as local activities: cheap, no extra history events per step.
 * Channel actions are regular activities with retries: timeouts and 5xx are retried with backoff; a provider's
 * 4xx is raised as non-retryable by the worker and recorded as a failed step.
 */
export const progress = proxyLocalActivities<Pick<JourneyActivities, 'recordProgress' | 'customerTimeZone' | 'loadConditionContext' | 'reserveEntryTurn'>>({
	startToCloseTimeout: '15 seconds',
	retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' }
});

export const actions = proxyActivities<JourneyActivities>({
	startToCloseTimeout: '1 minute',
	retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 12, nonRetryableErrorTypes: ['NonRetryable'] }
});
