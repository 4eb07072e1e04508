import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetEntryTimes } from '../../../core/analytics/rollup';
import { ProgressWriter, writeProgress } from '../../../worker/activities/progress';
import { rowsOf } from '../../../core/db/rows';
import { dbKinds, freshDb } from '../../helpers/db';
import { rollupRows, seedScenario, type Scenario } from './fixture';

/**
 * The worker group-commits progress writes: many enrollments' steps, enrollment updates and rollups in one
 * transaction. Written that way, concurrently, the step log, the enrollments and every rollup must come out exactly
 * as the scenario's one-by-one writes left them.
 */
describe.each(dbKinds())('progress writes shared between enrollments on %s', (kind) => {
	let db: Awaited<ReturnType<typeof freshDb>>;
	let sc: Scenario;

	beforeAll(async () => {
		db = await freshDb(kind);
		sc = await seedScenario(db, 120);
	}, 180_000);
	afterAll(async () => db?.close());

	async function stepsAndEnrollments() {
		const read = async (query: ReturnType<typeof sql>) => rowsOf<Record<string, unknown>>(await db.db.execute(query)).map((r) => JSON.stringify(r));
		return {
			steps: (
				await read(sql`select enrollment_id, node_id, visit, kind, branch, reason, detail, at::text from step_log where journey_id = ${sc.journeyId}`)
			).sort(),
			// An end written without a step is stamped with the time of the write, so only its presence compares.
			enrollments: await read(
				sql`select id, status, current_node_id, interests, variant, case when exists (select 1 from step_log s where s.enrollment_id = e.id and s.at = e.ended_at)
					then ended_at::text else (ended_at is not null)::text end as ended_at, exit_reason from enrollments e where journey_id = ${sc.journeyId} order by id`
			)
		};
	}

	/** As before the scenario's progress: no steps, no rollups from them, every enrollment at its start. */
	async function rewind() {
		for (const table of ['step_log', 'analytics_step_daily', 'analytics_conversions', 'analytics_paths'])
			await db.db.execute(sql`delete from ${sql.identifier(table)}`);
		await db.db.execute(
			sql`update enrollments set status = 'active', current_node_id = null, variant = null, ended_at = null, exit_reason = null,
				interests = '{"events":[],"propertyPaths":[]}'::jsonb where journey_id = ${sc.journeyId}`
		);
	}

	it('concurrent enrollments share transactions and leave every row as one-by-one writes did', async () => {
		const written = { rollups: await rollupRows(db, sc.journeyId), ...(await stepsAndEnrollments()) };
		expect(written.steps.length).toBeGreaterThan(500);
		await rewind();
		expect((await stepsAndEnrollments()).steps).toEqual([]);

		// Each enrollment writes in its own order, all enrollments at once; one write in five is also retried while
		// its first attempt is still waiting (the same enrollment twice in a group).
		const writer = new ProgressWriter(db.db);
		const byEnrollment = new Map<string, Scenario['writes']>();
		for (const w of sc.writes) byEnrollment.set(w.ref.enrollmentId, [...(byEnrollment.get(w.ref.enrollmentId) ?? []), w]);
		let n = 0;
		await Promise.all(
			[...byEnrollment.values()].map(async (writes) => {
				for (const w of writes)
					await Promise.all(n++ % 5 === 0 ? [writer.write(w.ref, w.update), writer.write(w.ref, w.update)] : [writer.write(w.ref, w.update)]);
			})
		);

		expect(writer.stats.items).toBe(sc.writes.length + Math.ceil(sc.writes.length / 5));
		// Shared: far fewer transactions than writes.
		expect(writer.stats.writes).toBeLessThan(writer.stats.items / 4);
		expect({ rollups: await rollupRows(db, sc.journeyId), ...(await stepsAndEnrollments()) }).toEqual(written);
	});

	it('a write that fails fails alone: the rest of its group is written', async () => {
		const withSteps = sc.writes.filter((w) => w.update.steps.length > 0 && w.update.currentNodeId);
		const good = withSteps.at(-1);
		const other = withSteps.findLast((w) => w.ref.enrollmentId !== good!.ref.enrollmentId);
		await rewind();
		const writer = new ProgressWriter(db.db, { maxInFlight: 1 });
		// The first write goes alone; the next three queue behind it and share one transaction, which the bad one fails.
		const first = writer.write(other!.ref, other!.update);
		const bad = { ...good!.update, steps: [{ ...good!.update.steps[0]!, visit: 1.5 }] };
		const results = await Promise.allSettled([
			first,
			writer.write(good!.ref, good!.update),
			writer.write(good!.ref, bad),
			writer.write(other!.ref, other!.update)
		]);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
		const steps = (await stepsAndEnrollments()).steps.map((s) => JSON.parse(s) as { enrollment_id: string });
		expect(steps.filter((s) => s.enrollment_id === good!.ref.enrollmentId)).toHaveLength(good!.update.steps.length);
		expect(steps.filter((s) => s.enrollment_id === other!.ref.enrollmentId)).toHaveLength(other!.update.steps.length);
		expect(writer.stats).toEqual({ writes: 2, items: 4 });
	});

	it('time in step is the same whether the entry time is remembered by the worker or read from the step log', async () => {
		const everyWrite = async (forget: boolean) => {
			await rewind();
			for (const w of sc.writes) {
				if (forget) forgetEntryTimes();
				await writeProgress(db.db, [w]);
			}
			return rollupRows(db, sc.journeyId);
		};
		const read = await everyWrite(true);
		expect(read.steps.filter((r) => r.includes('"dwell"')).length).toBeGreaterThan(20);
		expect(await everyWrite(false)).toEqual(read);
		// The same write twice in one transaction counts once.
		const last = sc.writes.at(-1)!;
		await writeProgress(db.db, [last, last]);
		expect(await rollupRows(db, sc.journeyId)).toEqual(read);
	});
});
