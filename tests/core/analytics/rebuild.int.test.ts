import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsFilters, journeyAnalytics, rebuildRollups } from '../../../core/analytics/index';
import { dbKinds, freshDb } from '../../helpers/db';
import { rollupRows as rollups, seedScenario, type Scenario } from './fixture';

describe.each(dbKinds())('rebuilding the analytics rollups on %s', (kind) => {
	let db: Awaited<ReturnType<typeof freshDb>>;
	let sc: Scenario;

	beforeAll(async () => {
		db = await freshDb(kind);
		sc = await seedScenario(db, 160);
	}, 180_000);
	afterAll(async () => db?.close());

	it('recomputes from the step log and messages exactly what the incremental path holds', async () => {
		const incremental = await rollups(db, sc.journeyId);
		const figures = await journeyAnalytics(db.db, sc.journeyId, AnalyticsFilters.parse({}));
		expect(incremental.steps.length).toBeGreaterThan(50);
		expect(incremental.engagement.length).toBeGreaterThan(10);
		expect(incremental.conversions.length).toBeGreaterThan(5);

		// As after the migration on a database with history: the rollups are empty.
		for (const table of ['analytics_step_daily', 'analytics_conversions', 'analytics_paths', 'analytics_engagement_daily', 'analytics_message_reached'])
			await db.db.execute(sql`delete from ${sql.identifier(table)}`);
		const empty = await journeyAnalytics(db.db, sc.journeyId, AnalyticsFilters.parse({}));
		expect(empty.kpis.entered).toBe(0);

		expect(await rebuildRollups(db.db)).toEqual({ journeys: 1, enrollments: sc.enrollments.length });
		expect(await rollups(db, sc.journeyId)).toEqual(incremental);
		// The rollup rows are equal row for row (above); sums of amounts over them may differ in the last bit because
		// PostgreSQL adds float8 rows in whatever order its plan reads them, so figures compare to a millionth.
		expect(toMillionths(await journeyAnalytics(db.db, sc.journeyId, AnalyticsFilters.parse({})))).toEqual(toMillionths(figures));
	});

	it('rebuilding one journey again changes nothing', async () => {
		const before = await rollups(db, sc.journeyId);
		await rebuildRollups(db.db, sc.journeyId);
		expect(await rollups(db, sc.journeyId)).toEqual(before);
	});
});

/** A copy of a JSON value with every non-integer number rounded to a millionth. */
function toMillionths(value: unknown): unknown {
	return JSON.parse(JSON.stringify(value), (_key, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e6) / 1e6 : v));
}
