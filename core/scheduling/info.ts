import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { journeyScheduleId } from '../enrollment/scheduled-entry';

/** What Temporal says about a journey's schedule, for the journey's pages. */
export type JourneyScheduleInfo =
	| { exists: false }
	| {
			exists: true;
			paused: boolean;
			note?: string;
			/** The next runs' nominal instants (ms), as the server's calendar computes them. */
			nextRuns: number[];
			/** The latest runs: nominal time and the run's workflow id. */
			recentRuns: { nominalTime: number; workflowId: string }[];
	  };

export async function journeyScheduleInfo(temporal: Client, journeyId: string): Promise<JourneyScheduleInfo> {
	try {
		const d = await temporal.schedule.getHandle(journeyScheduleId(journeyId)).describe();
		return {
			exists: true,
			paused: d.state.paused,
			...(d.state.note ? { note: d.state.note } : {}),
			nextRuns: d.info.nextActionTimes.map((t) => t.getTime()),
			recentRuns: d.info.recentActions.map((a) => ({ nominalTime: a.scheduledAt.getTime(), workflowId: a.action.workflow.workflowId }))
		};
	} catch (err) {
		if (err instanceof ScheduleNotFoundError) return { exists: false };
		throw err;
	}
}
