import type { Db } from '$core/db/client';
import { journeyScheduleInfo, journeySchedulePlan, syncJourneySchedule, type JourneyScheduleInfo, type SyncOutcome } from '$core/scheduling/index';
import { EARLIEST_ZONE, formatRunTime, nextScheduledRuns, scheduleTimeZone } from '$core/graph/schedule';
import { appEnv, temporal } from './context';

/**
 * The journey's Temporal Schedule after publishing, pausing, resuming, stopping or archiving it. Never fails the
 * change itself (it is committed): when Temporal is unreachable the worker's reconcile pass applies it within a minute.
 */
export async function syncSchedule(db: Db, journeyId: string): Promise<SyncOutcome | 'deferred'> {
	try {
		const client = await temporal();
		// Bounded like every Temporal call from a request: a hung server defers the sync, it never holds the page.
		return await client.withDeadline(Date.now() + 5_000, () =>
			syncJourneySchedule({ db, temporal: client, taskQueue: appEnv().TEMPORAL_TASK_QUEUE }, journeyId)
		);
	} catch (err) {
		console.error(`schedule of journey ${journeyId} left to the worker's reconcile pass: ${err instanceof Error ? err.message : String(err)}`);
		return 'deferred';
	}
}

/** What the journey page shows about a scheduled trigger: the schedule's state and the next runs, worded. */
export type ScheduleView = {
	state: 'active' | 'paused' | 'ended' | 'not_scheduled' | 'unavailable';
	/** "Mon 7 Dec 2026 09:00 Europe/Paris" or "Mon 7 Dec 2026 09:00, each customer’s time". */
	next: string[];
	lastRun?: string;
};

export async function scheduleView(db: Db, journeyId: string): Promise<ScheduleView | null> {
	const plan = await journeySchedulePlan(db, journeyId);
	if (!plan.entry || !plan.live) return null;
	const { entry } = plan;
	if (plan.want === 'absent') return { state: 'ended', next: [] }; // stopped or archived
	const settings = plan.live.definition.settings;
	const zone = scheduleTimeZone(entry, settings);
	// For "each customer's time" a run starts when its date's time first arrives (UTC+14): name the date, not that instant.
	const word = (ms: number) =>
		entry.timeIn === 'customer' ? `${formatRunTime(ms, EARLIEST_ZONE)}, each customer’s time` : `${formatRunTime(ms, zone)} ${zone}`;
	let info: JourneyScheduleInfo;
	try {
		const client = await temporal();
		info = await client.withDeadline(Date.now() + 3_000, () => journeyScheduleInfo(client, journeyId));
	} catch {
		return { state: 'unavailable', next: nextScheduledRuns(entry, settings, Date.now(), 3).map((r) => word(r.at)) };
	}
	if (!info.exists) return { state: 'not_scheduled', next: [] };
	const last = info.recentRuns.at(-1);
	return {
		state: info.paused ? 'paused' : 'active',
		next: info.nextRuns.slice(0, 3).map(word),
		...(last ? { lastRun: word(last.nominalTime) } : {})
	};
}
