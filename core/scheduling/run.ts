import type { JourneyEvent } from '../enrollment/contract';
import { scheduledEntryEventId, type PageInput, type PageResult, type RunPlan } from '../enrollment/scheduled-entry';
import { scheduleTimeZone } from '../graph/schedule';
import { enrol, type RoutingDeps } from '../routing/enrol';
import { refreshSegment } from '../segments/refresh';
import { journeySchedulePlan } from './live';
import { memberPage, memberZones } from './members';

/** Customers entered at once within a page: enough to overlap round trips, few enough to keep capacity checks honest. */
const PARALLEL_ENTRIES = 4;

/**
 * The start of a run: is the journey still live with this schedule, who is in the segment right now (refreshed, so
 * "viewed in the last 7 days" holds at this moment), and, for "each customer's own time", which zones they are in.
 */
export async function planScheduledRun(deps: Pick<RoutingDeps, 'db'>, input: { journeyId: string; nominalTime: number }, now = new Date()): Promise<RunPlan> {
	const plan = await journeySchedulePlan(deps.db, input.journeyId);
	if (plan.want !== 'active' || !plan.entry || !plan.live)
		return { go: false, reason: plan.want === 'paused' ? 'journey paused' : 'journey not live with a scheduled trigger' };
	await refreshSegment(deps.db, plan.entry.segmentId, { asOf: now });
	const snapshotAt = now.getTime();
	return {
		go: true,
		entry: plan.entry,
		timeZone: scheduleTimeZone(plan.entry, plan.live.definition.settings),
		snapshotAt,
		...(plan.entry.timeIn === 'customer' ? { zones: await memberZones(deps.db, plan.entry.segmentId, snapshotAt) } : {})
	};
}

/**
 * Enters one page of a run's members through routing's `enrol`, so entry windows, re-entry rules and capacity apply
 * exactly as for an event. The entry id is the run's, so a page retried after a crash finds whom it entered.
 */
export async function enterScheduledPage(deps: RoutingDeps, input: PageInput, now = new Date()): Promise<PageResult> {
	const result: PageResult = { entered: 0, again: 0, refused: {} };
	const plan = await journeySchedulePlan(deps.db, input.journeyId);
	// Paused, stopped, archived or re-published with another trigger while the run was under way: no one else enters.
	if (plan.want !== 'active' || !plan.live || plan.entry?.segmentId !== input.segmentId)
		return { ...result, stopped: `journey ${plan.want === 'paused' ? 'paused' : 'no longer scheduled'}` };
	const ids = await memberPage(deps.db, input);
	const entry: JourneyEvent = {
		id: scheduledEntryEventId(input.journeyId, input.nominalTime),
		name: '$scheduled_entry',
		properties: { scheduledFor: new Date(input.nominalTime).toISOString() },
		timestamp: input.nominalTime
	};
	const live = plan.live;
	let next = 0;
	async function lane(): Promise<void> {
		while (next < ids.length) {
			const customerId = ids[next++]!;
			const r = await enrol(deps, live, customerId, entry, now);
			if (r.enrolled && r.resumed) result.again++;
			else if (r.enrolled) result.entered++;
			else result.refused[r.reason] = (result.refused[r.reason] ?? 0) + 1;
		}
	}
	await Promise.all(Array.from({ length: PARALLEL_ENTRIES }, lane));
	return ids.length === input.limit ? { ...result, next: ids[ids.length - 1] } : result;
}
