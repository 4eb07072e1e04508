import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { RunPlan, ScheduledEntryActivities, ScheduledEntryInput, ScheduledEntryResult, ZoneFilter } from '../core/enrollment/scheduled-entry';
import { entryInstant, runDateOf } from '../core/graph/schedule';
import { isValidTimeZone } from '../core/graph/zone';

const { planScheduledRun, enterScheduledPage } = proxyActivities<ScheduledEntryActivities>({
	startToCloseTimeout: '5 minutes',
	retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' }
});

type Group = { at: number; filter?: ZoneFilter };

/**
 * One run of a journey's schedule: enters the segment's members into the journey's live version, a page at a time.
 * In the journey's zone everyone enters now; in each customer's own zone the members are grouped by zone and each
 * group enters when the schedule's time arrives there (a durable timer per group, so a worker restart loses nothing).
 * A run started late (a worker down across the scheduled time) enters everyone due at once, once: every enrollment
 * of a run carries the run's entry id, so a retried page or run finds the customers it already entered.
 */
export async function scheduledEntry(input: ScheduledEntryInput): Promise<ScheduledEntryResult> {
	const nominalTime = input.nominalTime ?? nominalTimeOfRun();
	const result: ScheduledEntryResult = { nominalTime, entered: 0, again: 0, refused: {} };
	const plan = await planScheduledRun({ journeyId: input.journeyId, nominalTime });
	if (!plan.go || !plan.entry || plan.snapshotAt === undefined) return { ...result, skipped: plan.reason ?? 'not scheduled' };

	const groups: Group[] = plan.entry.timeIn === 'customer' ? zoneGroups(plan, nominalTime) : [{ at: nominalTime }];
	for (const group of groups) {
		if (group.at > Date.now()) await sleep(group.at - Date.now());
		let after: string | undefined;
		do {
			const page = await enterScheduledPage({
				journeyId: input.journeyId,
				nominalTime,
				snapshotAt: plan.snapshotAt,
				segmentId: plan.entry.segmentId,
				filter: group.filter,
				after,
				limit: input.pageSize ?? 200
			});
			result.entered += page.entered;
			result.again += page.again;
			for (const [reason, n] of Object.entries(page.refused))
				result.refused[reason as keyof typeof page.refused] = (result.refused[reason as keyof typeof page.refused] ?? 0) + (n ?? 0);
			if (page.stopped) return { ...result, skipped: page.stopped };
			after = page.next;
		} while (after !== undefined);
	}
	return result;
}

/** Members grouped by the instant the schedule's time arrives in their zone (unknown or no zone: the journey's). */
function zoneGroups(plan: RunPlan, nominalTime: number): Group[] {
	const entry = plan.entry!;
	const fallback = plan.timeZone ?? 'UTC';
	const date = runDateOf(entry, {}, nominalTime);
	const byInstant = new Map<number, ZoneFilter>();
	for (const zone of plan.zones ?? []) {
		const at = entryInstant(entry, date, zone !== null && isValidTimeZone(zone) ? zone : fallback);
		const filter = byInstant.get(at) ?? { zones: [], withoutZone: false };
		if (zone === null) filter.withoutZone = true;
		else filter.zones.push(zone);
		byInstant.set(at, filter);
	}
	return [...byInstant.entries()].sort(([a], [b]) => a - b).map(([at, filter]) => ({ at, filter }));
}

/** The time the schedule meant this run for: Temporal records it on the run, and appends it to the workflow id. */
function nominalTimeOfRun(): number {
	const info = workflowInfo();
	const recorded = info.searchAttributes?.TemporalScheduledStartTime?.[0];
	if (recorded !== undefined) {
		const ms = new Date(recorded as string | Date).getTime();
		if (!Number.isNaN(ms)) return ms;
	}
	const suffix = /-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)$/.exec(info.workflowId)?.[1];
	return suffix ? Date.parse(suffix) : Date.now();
}
