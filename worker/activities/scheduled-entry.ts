import { Context } from '@temporalio/activity';
import type { Db } from '../../core/db/client';
import type { ScheduledEntryActivities } from '../../core/enrollment/scheduled-entry';
import { enterScheduledPage, planScheduledRun } from '../../core/scheduling/run';
import { activityNow } from './keys';

/**
 * Scheduled entry's activities. Entering a customer starts their enrollment workflow, so these use the worker's own
 * Temporal client and task queue (from the activity context) rather than a second connection. "Now" is Temporal's
 * (`activityNow`), so entry windows and re-entry periods follow workflow time under the time-skipping test server.
 */
export function scheduledEntryActivities(db: Db) {
	return {
		planScheduledRun: (input) => planScheduledRun({ db }, input, activityNow()),
		enterScheduledPage: (input) => {
			const ctx = Context.current();
			return enterScheduledPage({ db, temporal: ctx.client, taskQueue: ctx.info.taskQueue }, input, activityNow());
		}
	} satisfies ScheduledEntryActivities;
}
