import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { journeys } from '../db/schema/journeys';
import { journeyScheduleId } from '../enrollment/scheduled-entry';
import { runPeriodically } from '../jobs/periodic';
import { journeySchedulePlan } from './live';
import { journeyScheduleOptions } from './spec';

export type ScheduleDeps = { db: Db; temporal: Client; taskQueue: string };
export type SyncOutcome = 'created' | 'updated' | 'deleted' | 'none';

const SCHEDULE_PREFIX = journeyScheduleId('');

/**
 * Makes the journey's Temporal Schedule match the journey as the database has it: there (and paused when the journey
 * is) while its live version has a scheduled trigger and it is active or paused; gone when stopped, archived, never
 * published or re-published with another trigger. Idempotent, so publish, pause/resume, stop and archive all call
 * it, and the worker calls it for every journey at start and every few minutes (a change made while Temporal was
 * unreachable is applied then).
 */
export async function syncJourneySchedule(deps: ScheduleDeps, journeyId: string): Promise<SyncOutcome> {
	const plan = await journeySchedulePlan(deps.db, journeyId);
	const handle = deps.temporal.schedule.getHandle(journeyScheduleId(journeyId));
	if (plan.want === 'absent' || !plan.entry || !plan.live) {
		try {
			await handle.delete();
			return 'deleted';
		} catch (err) {
			if (err instanceof ScheduleNotFoundError) return 'none';
			throw err;
		}
	}
	const options = journeyScheduleOptions(journeyId, deps.taskQueue, plan.entry, plan.live.definition.settings);
	const paused = plan.want === 'paused';
	const note = `journey ${journeyId} version ${plan.live.version}${paused ? ', paused' : ''}`;
	try {
		await handle.describe();
	} catch (err) {
		if (!(err instanceof ScheduleNotFoundError)) throw err;
		await deps.temporal.schedule.create({ scheduleId: journeyScheduleId(journeyId), ...options, state: { paused, note } });
		return 'created';
	}
	await handle.update((prev) => ({ ...prev, spec: options.spec, action: options.action, policies: options.policies, state: { ...prev.state, paused, note } }));
	// An update may keep the old paused flag on some servers: set it explicitly when it differs.
	const after = await handle.describe();
	if (after.state.paused !== paused) await (paused ? handle.pause(note) : handle.unpause(note));
	return 'updated';
}

/** Syncs every journey that has, or may have, a schedule; one journey's failure does not stop the others. */
export async function reconcileSchedules(deps: ScheduleDeps, log: (m: string) => void = console.error): Promise<number> {
	const ids = new Set<string>();
	// Schedules that exist (their journey may have lost its scheduled trigger; listing is eventually consistent and
	// the next pass catches up), and journeys whose live version is scheduled.
	for await (const s of deps.temporal.schedule.list()) if (s.scheduleId.startsWith(SCHEDULE_PREFIX)) ids.add(s.scheduleId.slice(SCHEDULE_PREFIX.length));
	for (const { id } of await deps.db.select({ id: journeys.id }).from(journeys).where(isNotNull(journeys.liveVersion))) {
		if (!ids.has(id) && (await journeySchedulePlan(deps.db, id).catch(() => undefined))?.entry) ids.add(id);
	}
	let changed = 0;
	for (const id of ids) {
		try {
			const outcome = await syncJourneySchedule(deps, id);
			if (outcome === 'created' || outcome === 'deleted') changed++;
		} catch (err) {
			log(`schedule of journey ${id}: ${err instanceof Error ? err.message : String(err)}`);
		}
	}
	return changed;
}

/** Reconciles at once, then every `intervalMs` (the worker runs it). */
export function startScheduleReconcileLoop(deps: ScheduleDeps, intervalMs = 5 * 60_000, log: (m: string) => void = console.error): { stop(): Promise<void> } {
	const pass = () =>
		reconcileSchedules(deps, log).then(
			() => {},
			(err) => log(`schedule reconcile failed: ${err instanceof Error ? err.message : String(err)}`)
		);
	const first = pass();
	const loop = runPeriodically(pass, intervalMs);
	return {
		async stop() {
			await first;
			await loop.stop();
		}
	};
}
