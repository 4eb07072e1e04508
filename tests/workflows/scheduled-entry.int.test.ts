import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/db/client';
import { enrollments, journeys, stepLog } from '../../core/db/schema/journeys';
import { scheduledRunWorkflowId, type ScheduledEntryResult } from '../../core/enrollment/scheduled-entry';
import type { ScheduleEntry } from '../../core/graph/nodes';
import { entryInstant, nextScheduledRuns, parseLocalDate, type ScheduledRun } from '../../core/graph/schedule';
import { createSegment } from '../../core/segments/store';
import { scheduledEntry } from '../../workflows/scheduled-entry';
import { freshDb } from '../helpers/db';
import { insertCustomer, journeyWorker, linearJourney, publishTestJourney } from '../helpers/journeys';
import { createTimeSkippingEnv } from '../helpers/temporal';

const HOUR = 3_600_000;

/**
 * Scheduled entry's runs on Temporal's time-skipping test server with the real activities and database: four weeks of
 * Mondays in seconds. The test server has no Temporal Schedules, so each run is started as the schedule would start it
 * (at its nominal time, with that time); tests/core/scheduling/schedule.int.test.ts checks the schedule itself on the
 * dev server.
 */
describe('scheduled entry runs (time-skipping)', () => {
	let env: TestWorkflowEnvironment;
	let db: DbHandle;
	let worker: Worker;
	let running: Promise<void>;
	/** A plain client: the environment's own lets the server skip time while it awaits a result (see runAt). */
	let client: Client;
	const taskQueue = `scheduled-${randomUUID()}`;

	beforeAll(async () => {
		[env, db] = await Promise.all([createTimeSkippingEnv(), freshDb('pglite')]);
		client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
		worker = await journeyWorker(env.nativeConnection, db, taskQueue);
		running = worker.run();
	});
	afterAll(async () => {
		worker?.shutdown();
		await running;
		await env?.teardown();
		await db?.close();
	});

	/** Three newsletter readers: in Paris, in New York, and one without a zone (the journey's: Tokyo). */
	async function readers(tag: string) {
		const segment = await createSegment(db.db, {
			name: `Newsletter ${tag}`,
			definition: { match: 'all', conditions: [{ kind: 'trait', filter: { path: 'newsletter', op: 'eq', value: tag } }] }
		});
		const traits = { newsletter: tag };
		const zones = { paris: 'Europe/Paris', newYork: 'America/New_York', none: null } as const;
		const ids = {
			paris: await insertCustomer(db, { traits, timezone: zones.paris }),
			newYork: await insertCustomer(db, { traits, timezone: zones.newYork }),
			none: await insertCustomer(db, { traits })
		};
		await insertCustomer(db, { traits: { newsletter: 'someone else' }, timezone: 'Europe/Paris' });
		return { segmentId: segment.id, ids, zones };
	}

	async function sleepUntil(at: number): Promise<void> {
		const now = await env.currentTimeMs();
		if (at > now) await env.sleep(at - now);
	}

	/** Trigger entries of the journey so far (each enrollment writes one). */
	async function enteredCount(journeyId: string): Promise<number> {
		return db.db.$count(stepLog, and(eq(stepLog.journeyId, journeyId), eq(stepLog.nodeId, 'trigger'), eq(stepLog.kind, 'entered')));
	}

	/**
	 * Starts a run as its schedule would, at its nominal time, through a plain client: while the environment's client
	 * awaits a result the test server may skip time freely, past work not yet picked up (seen here jumping ten years,
	 * to the test server's default run timeout). Time moves only in the bounded sleeps below.
	 * A run that waits for zone groups (`groups`: when each begins, and how many it enters) is moved to each instant
	 * with a bounded sleep, and the group's enrollments are awaited before time moves on.
	 */
	async function runAt(
		journeyId: string,
		run: Pick<ScheduledRun, 'at'>,
		opts: { groups?: { at: number; enters: number }[]; runKey?: string } = {}
	): Promise<ScheduledEntryResult> {
		await sleepUntil(run.at);
		const before = await enteredCount(journeyId);
		const handle = await client.workflow.start(scheduledEntry, {
			taskQueue,
			workflowId: `${scheduledRunWorkflowId(journeyId)}-${new Date(run.at).toISOString()}${opts.runKey ?? ''}`,
			args: [{ journeyId, nominalTime: run.at, pageSize: 2 }]
		});
		let expected = before;
		for (const group of [...(opts.groups ?? [])].sort((a, b) => a.at - b.at)) {
			await sleepUntil(group.at);
			expected += group.enters;
			await expect.poll(() => enteredCount(journeyId), { timeout: 60_000 }).toBe(expected);
		}
		await expect.poll(async () => (await handle.describe()).status.name, { timeout: 60_000 }).toBe('COMPLETED');
		return handle.result();
	}

	async function settled(journeyId: string): Promise<void> {
		await expect
			.poll(
				async () =>
					(
						await db.db
							.select()
							.from(enrollments)
							.where(and(eq(enrollments.journeyId, journeyId), eq(enrollments.status, 'active')))
					).length,
				{
					timeout: 20_000
				}
			)
			.toBe(0);
	}

	/** When each enrollment of the journey entered its trigger (workflow time), by customer. */
	async function entries(journeyId: string): Promise<Map<string, number[]>> {
		const rows = await db.db
			.select({ customerId: stepLog.customerId, at: stepLog.at })
			.from(stepLog)
			.where(and(eq(stepLog.journeyId, journeyId), eq(stepLog.nodeId, 'trigger'), eq(stepLog.kind, 'entered')))
			.orderBy(asc(stepLog.at));
		const by = new Map<string, number[]>();
		for (const r of rows) by.set(r.customerId, [...(by.get(r.customerId) ?? []), r.at.getTime()]);
		return by;
	}

	it('a weekly Monday 09:00 in each customer’s zone enters every member once a week, at 09:00 where they are, for four weeks', async () => {
		const { segmentId, ids, zones } = await readers('weekly');
		const entry: ScheduleEntry = {
			kind: 'schedule',
			segmentId,
			repeat: 'weekly',
			weekdays: ['mon'],
			time: '09:00',
			timeIn: 'customer',
			timeZone: 'Asia/Tokyo'
		};
		const live = await publishTestJourney(db, linearJourney({ id: 'trigger', type: 'trigger', entry }, [], { reentry: { mode: 'always' } }));
		const runs = nextScheduledRuns(entry, {}, await env.currentTimeMs(), 4);
		expect(runs).toHaveLength(4);

		// Each run enters one reader at 09:00 in each of the three zones.
		const groupsOf = (run: ScheduledRun) =>
			Object.keys(ids).map((who) => ({ at: entryInstant(entry, parseLocalDate(run.date), zones[who as keyof typeof zones] ?? 'Asia/Tokyo'), enters: 1 }));
		for (const run of runs) {
			const result = await runAt(live.journeyId, run, { groups: groupsOf(run) });
			expect(result).toMatchObject({ nominalTime: run.at, entered: 3, again: 0, refused: {} });
			await settled(live.journeyId);
		}

		const entered = await entries(live.journeyId);
		expect([...entered.keys()].sort()).toEqual(Object.values(ids).sort());
		for (const [who, customerId] of Object.entries(ids)) {
			const zone = zones[who as keyof typeof zones] ?? 'Asia/Tokyo';
			const times = entered.get(customerId)!;
			expect(times).toHaveLength(4);
			runs.forEach((run, week) => {
				const nine = entryInstant(entry, parseLocalDate(run.date), zone);
				// At their own 09:00 (the run's timer fires then; the enrollment starts a moment later).
				expect(times[week]! - nine).toBeGreaterThanOrEqual(0);
				expect(times[week]! - nine).toBeLessThan(60_000);
			});
		}
		// Paris enters before New York on the same Monday: six hours apart in winter and summer alike.
		const [paris, newYork] = [entered.get(ids.paris)![0]!, entered.get(ids.newYork)![0]!];
		expect(newYork - paris).toBeGreaterThanOrEqual(5 * HOUR);
	});

	it('a run retried with the same nominal time enters no one twice', async () => {
		const { segmentId } = await readers('retry');
		const entry: ScheduleEntry = { kind: 'schedule', segmentId, repeat: 'daily', time: '10:00', timeZone: 'Europe/Paris' };
		const live = await publishTestJourney(db, linearJourney({ id: 'trigger', type: 'trigger', entry }, [], { reentry: { mode: 'always' } }));
		const [run] = nextScheduledRuns(entry, {}, await env.currentTimeMs(), 1);
		expect(await runAt(live.journeyId, run!)).toMatchObject({ entered: 3, again: 0 });
		await settled(live.journeyId);
		// The same run again (a second start of it, or its pages retried after a crash): all three are found, none entered.
		expect(await runAt(live.journeyId, run!, { runKey: '-again' })).toMatchObject({ entered: 0, again: 3 });
		const rows = await db.db.select().from(enrollments).where(eq(enrollments.journeyId, live.journeyId));
		expect(rows).toHaveLength(3);
	});

	it('applies the journey’s re-entry rule to every run (never: once only)', async () => {
		const { segmentId, ids } = await readers('reentry');
		const entry: ScheduleEntry = { kind: 'schedule', segmentId, repeat: 'daily', time: '08:00', timeZone: 'UTC' };
		const never = await publishTestJourney(db, linearJourney({ id: 'trigger', type: 'trigger', entry }, [], { reentry: { mode: 'never' } }));
		const runs = nextScheduledRuns(entry, {}, await env.currentTimeMs(), 3);
		const results: ScheduledEntryResult[] = [];
		for (const run of runs) {
			results.push(await runAt(never.journeyId, run));
			await settled(never.journeyId);
		}
		expect(results.map((r) => [r.entered, r.refused.reentry_not_allowed ?? 0])).toEqual([
			[3, 0],
			[0, 3],
			[0, 3]
		]);
		const rows = await db.db
			.select()
			.from(enrollments)
			.where(inArray(enrollments.customerId, Object.values(ids)));
		expect(rows.filter((r) => r.journeyId === never.journeyId)).toHaveLength(3);
	});

	it('enters no one while the journey is paused', async () => {
		const { segmentId } = await readers('paused');
		const entry: ScheduleEntry = { kind: 'schedule', segmentId, repeat: 'daily', time: '07:00' };
		const live = await publishTestJourney(db, linearJourney({ id: 'trigger', type: 'trigger', entry }, [], { reentry: { mode: 'always' } }));
		await db.db.update(journeys).set({ status: 'paused' }).where(eq(journeys.id, live.journeyId));
		const [run] = nextScheduledRuns(entry, {}, await env.currentTimeMs(), 1);
		expect(await runAt(live.journeyId, run!)).toMatchObject({ entered: 0, skipped: 'journey paused' });
	});
});
