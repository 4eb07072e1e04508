import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { MONTHS } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../../core/config/env';
import type { DbHandle } from '../../../core/db/client';
import { enrollments, journeys, journeyVersions } from '../../../core/db/schema/journeys';
import { journeyScheduleId } from '../../../core/enrollment/scheduled-entry';
import type { ScheduleEntry } from '../../../core/graph/nodes';
import { nextScheduledRuns } from '../../../core/graph/schedule';
import { journeyScheduleInfo, syncJourneySchedule, type ScheduleDeps } from '../../../core/scheduling/index';
import { createSegment } from '../../../core/segments/store';
import { activityDepsFromEnv, createActivities } from '../../../worker/activities/index';
import { freshDb } from '../../helpers/db';
import { insertCustomer, journeyBundle, linearJourney, publishTestJourney } from '../../helpers/journeys';
import { connectToSharedDevServer } from '../../helpers/temporal';

/**
 * Temporal Schedules on the real dev server (the time-skipping test server has none): publishing, pausing, resuming,
 * re-publishing, stopping and archiving keep a journey's schedule in step (`syncJourneySchedule`, which the journey
 * pages and API call, and the worker's reconcile pass repeats), the server's calendar agrees with ours, and a run
 * that falls due while no worker is polling enters its members once the worker is back.
 */
describe('journey schedules (dev server)', () => {
	let env: TestWorkflowEnvironment;
	let db: DbHandle;
	let deps: ScheduleDeps;
	const taskQueue = `schedules-${randomUUID()}`;
	const created: string[] = [];

	beforeAll(async () => {
		[env, db] = await Promise.all([connectToSharedDevServer(), freshDb('pglite')]);
		deps = { db: db.db, temporal: env.client, taskQueue };
	});
	afterAll(async () => {
		for (const id of created)
			await env.client.schedule
				.getHandle(journeyScheduleId(id))
				.delete()
				.catch(() => {});
		await env?.teardown();
		await db?.close();
	});

	async function scheduledJourney(entry: ScheduleEntry, reentry: 'never' | 'always' = 'never') {
		const live = await publishTestJourney(db, linearJourney({ id: 'trigger', type: 'trigger', entry }, [], { reentry: { mode: reentry } }));
		created.push(live.journeyId);
		return live;
	}
	const setJourney = (id: string, set: Partial<typeof journeys.$inferInsert>) => db.db.update(journeys).set(set).where(eq(journeys.id, id));
	const info = (id: string) => journeyScheduleInfo(env.client, id);

	it('creates, pauses, resumes, updates and deletes the schedule with the journey', async () => {
		const segment = await createSegment(db.db, {
			name: 'Weekly',
			definition: { match: 'all', conditions: [{ kind: 'trait', filter: { path: 'plan', op: 'exists' } }] }
		});
		const entry: ScheduleEntry = {
			kind: 'schedule',
			segmentId: segment.id,
			repeat: 'weekly',
			weekdays: ['mon', 'thu'],
			time: '09:00',
			timeZone: 'Europe/Paris'
		};
		const live = await scheduledJourney(entry);

		expect(await syncJourneySchedule(deps, live.journeyId)).toBe('created');
		const first = await info(live.journeyId);
		expect(first).toMatchObject({ exists: true, paused: false });
		// The server's calendar (zone, days, DST) fires exactly when ours says.
		const ours = nextScheduledRuns(entry, live.definition.settings, Date.now(), 3).map((r) => r.at);
		expect(first.exists && first.nextRuns.slice(0, 3)).toEqual(ours);

		await setJourney(live.journeyId, { status: 'paused' });
		expect(await syncJourneySchedule(deps, live.journeyId)).toBe('updated');
		expect(await info(live.journeyId)).toMatchObject({ exists: true, paused: true });
		await setJourney(live.journeyId, { status: 'active' });
		await syncJourneySchedule(deps, live.journeyId);
		expect(await info(live.journeyId)).toMatchObject({ exists: true, paused: false });

		// A new version "each customer's own time": the schedule follows the first place where 09:00 arrives (UTC+14).
		const local: ScheduleEntry = { ...entry, timeIn: 'customer' };
		const v2 = linearJourney({ id: 'trigger', type: 'trigger', entry: local }, []);
		await db.db.insert(journeyVersions).values({ journeyId: live.journeyId, version: 2, definition: v2 });
		await setJourney(live.journeyId, { liveVersion: 2 });
		expect(await syncJourneySchedule(deps, live.journeyId)).toBe('updated');
		const second = await info(live.journeyId);
		expect(second.exists && second.nextRuns.slice(0, 3)).toEqual(nextScheduledRuns(local, {}, Date.now(), 3).map((r) => r.at));

		await setJourney(live.journeyId, { status: 'stopped' });
		expect(await syncJourneySchedule(deps, live.journeyId)).toBe('deleted');
		expect(await info(live.journeyId)).toEqual({ exists: false });
		expect(await syncJourneySchedule(deps, live.journeyId)).toBe('none');
	});

	it('deletes the schedule of an archived journey, and makes none for a journey without a scheduled trigger', async () => {
		const segment = await createSegment(db.db, {
			name: 'Monthly',
			definition: { match: 'all', conditions: [{ kind: 'trait', filter: { path: 'plan', op: 'exists' } }] }
		});
		const live = await scheduledJourney({ kind: 'schedule', segmentId: segment.id, repeat: 'monthly', dayOfMonth: 1, time: '08:00' });
		await syncJourneySchedule(deps, live.journeyId);
		await setJourney(live.journeyId, { status: 'paused', archivedAt: new Date() });
		expect(await syncJourneySchedule(deps, live.journeyId)).toBe('deleted');
		const byEvent = await publishTestJourney(db, linearJourney({ id: 'trigger', type: 'trigger', entry: { kind: 'event', event: 'signed_up' } }, []));
		expect(await syncJourneySchedule(deps, byEvent.journeyId)).toBe('none');
	});

	it('a run that falls due while no worker polls enters every member once when the worker is back', async () => {
		const tag = randomUUID();
		const segment = await createSegment(db.db, {
			name: 'Down',
			definition: { match: 'all', conditions: [{ kind: 'trait', filter: { path: 'tag', op: 'eq', value: tag } }] }
		});
		const members = [await insertCustomer(db, { traits: { tag }, timezone: 'Europe/Paris' }), await insertCustomer(db, { traits: { tag } })];
		const live = await scheduledJourney({ kind: 'schedule', segmentId: segment.id, repeat: 'daily', time: '09:00', timeZone: 'UTC' });
		await syncJourneySchedule(deps, live.journeyId);
		// Bring the daily run forward to a few seconds from now (the real schedule, its real policies, only sooner).
		const due = new Date(Math.ceil((Date.now() + 4_000) / 1000) * 1000);
		const handle = env.client.schedule.getHandle(journeyScheduleId(live.journeyId));
		await handle.update((prev) => ({
			...prev,
			spec: {
				calendars: [
					{
						year: due.getUTCFullYear(),
						month: MONTHS[due.getUTCMonth()],
						dayOfMonth: due.getUTCDate(),
						hour: due.getUTCHours(),
						minute: due.getUTCMinutes(),
						second: due.getUTCSeconds()
					}
				],
				timezone: 'UTC'
			}
		}));
		// No worker on the task queue: the schedule starts the run on time, and the run waits.
		await expect.poll(async () => (await handle.describe()).info.recentActions.length, { timeout: 20_000, interval: 500 }).toBe(1);
		await new Promise((r) => setTimeout(r, 2_000));
		expect(await db.db.select().from(enrollments).where(eq(enrollments.journeyId, live.journeyId))).toHaveLength(0);

		const worker = await Worker.create({
			connection: env.nativeConnection,
			namespace: env.namespace,
			taskQueue,
			workflowBundle: await journeyBundle(),
			activities: createActivities(activityDepsFromEnv(loadEnv({ APP_SECRET: 'test-secret' }), db.db))
		});
		const run = (await handle.describe()).info.recentActions[0]!.action.workflow;
		const result = await worker.runUntil(env.client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).result());
		expect(result).toMatchObject({ nominalTime: due.getTime(), entered: 2, again: 0 });
		const rows = await db.db.select().from(enrollments).where(eq(enrollments.journeyId, live.journeyId));
		expect(rows.map((r) => r.customerId).sort()).toEqual([...members].sort());
		expect((await handle.describe()).info.recentActions).toHaveLength(1);
	});
});
