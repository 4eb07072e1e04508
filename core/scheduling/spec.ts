import { DAYS_OF_WEEK, MONTHS, type CalendarSpec, type ScheduleOptions } from '@temporalio/client';
import { SCHEDULED_ENTRY_WORKFLOW, scheduledRunWorkflowId, type ScheduledEntryInput } from '../enrollment/scheduled-entry';
import type { ScheduleEntry } from '../graph/nodes';
import { parseLocalDate, scheduleClockZone, shortestGapMs, weekdayNumber } from '../graph/schedule';
import type { JourneySettings } from '../graph/settings';

/**
 * The Temporal Schedule of a journey's scheduled trigger (everything but its id and paused state). The server's
 * calendar, in the schedule's zone, fires at the instants `nextScheduledRuns` computes (tested against each other).
 *
 * Policies:
 * - catch-up window just under the shortest time between two runs: if Temporal itself was down across a run, that run
 *   is taken once when it is back, and a longer outage never takes two runs back to back (a worker that is down is
 *   no outage for the schedule: the run starts on time and waits for a worker, then runs once);
 * - overlap: in the journey's zone a run takes minutes, and a late one is buffered behind the one in progress
 *   (BUFFER_ONE) rather than skipped; in each customer's zone a run spans up to 26 hours, so runs of consecutive days
 *   overlap by design (ALLOW_ALL) — each run enters only its own date's members, under its own entry id.
 */
export function journeyScheduleOptions(
	journeyId: string,
	taskQueue: string,
	entry: ScheduleEntry,
	settings: Pick<JourneySettings, 'defaultTimeZone'>
): Omit<ScheduleOptions, 'scheduleId' | 'state'> {
	const [hour, minute] = entry.time.split(':').map(Number) as [number, number];
	const calendar: CalendarSpec = { hour, minute, second: 0 };
	if (entry.repeat === 'once' && entry.date) {
		const d = parseLocalDate(entry.date);
		Object.assign(calendar, { year: d.year, month: MONTHS[d.month - 1], dayOfMonth: d.day });
	}
	if (entry.repeat === 'weekly') calendar.dayOfWeek = [...new Set((entry.weekdays ?? []).map(weekdayNumber))].sort().map((n) => DAYS_OF_WEEK[n]!);
	if (entry.repeat === 'monthly' && entry.dayOfMonth !== undefined) calendar.dayOfMonth = entry.dayOfMonth;
	const args: [ScheduledEntryInput] = [{ journeyId }];
	return {
		spec: { calendars: [{ ...calendar, comment: `journey ${journeyId}` }], timezone: scheduleClockZone(entry, settings) },
		action: { type: 'startWorkflow', workflowType: SCHEDULED_ENTRY_WORKFLOW, workflowId: scheduledRunWorkflowId(journeyId), taskQueue, args },
		policies: { overlap: entry.timeIn === 'customer' ? 'ALLOW_ALL' : 'BUFFER_ONE', catchupWindow: shortestGapMs(entry) - 60_000 },
		memo: { journeyId }
	};
}
