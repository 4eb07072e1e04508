import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsFilters, journeyAnalytics } from '../../../core/analytics/index';
import { recordProgress } from '../../../worker/activities/progress';
import { dbKinds, freshDb } from '../../helpers/db';
import { expectedFigures, expectedPaths, type Slice } from './expected';
import { seedScenario, type Scenario } from './fixture';

describe.each(dbKinds())('journey analytics on %s', (kind) => {
	let db: Awaited<ReturnType<typeof freshDb>>;
	let sc: Scenario;

	beforeAll(async () => {
		db = await freshDb(kind);
		sc = await seedScenario(db);
	}, 180_000);
	afterAll(async () => db?.close());

	const slices: [string, Slice][] = [
		['everything', {}],
		['version 2', { version: 2 }],
		['version 1', { version: 1 }],
		['variant a', { variant: 'a' }],
		['the holdout', { variant: 'holdout' }],
		['an entry date range', { from: '2026-03-03', to: '2026-03-05' }],
		['version 2, variant b, from a day', { version: 2, variant: 'b', from: '2026-03-04' }]
	];

	it.each(slices)('per node, per edge and KPIs match the raw rows: %s', async (_name, slice) => {
		const result = await journeyAnalytics(db.db, sc.journeyId, AnalyticsFilters.parse(slice));
		const want = expectedFigures(sc, slice);
		expect(result.kpis).toMatchObject(want.kpis);
		for (const node of result.nodes) {
			const w = want.nodes[node.nodeId]!;
			expect({
				id: node.nodeId,
				customers: node.entered.customers,
				visits: node.entered.visits,
				here: node.here,
				dropped: node.dropped,
				reached: node.reachedConverted,
				convertedHere: node.convertedHere,
				skippedBy: node.skippedBy,
				heldBy: node.heldBy
			}).toEqual({
				id: node.nodeId,
				customers: w.enteredCustomers,
				visits: w.enteredVisits,
				here: w.here,
				dropped: w.dropped,
				reached: w.reachedConverted,
				convertedHere: w.convertedHere,
				skippedBy: w.skippedBy,
				heldBy: w.heldBy
			});
			expect(node.revenueHere).toBeCloseTo(w.revenueHere, 2);
			const movedOn = Object.fromEntries(
				Object.entries(node.movedOn)
					.map(([k, c]) => [k, c.customers])
					.filter(([, n]) => n !== 0)
			);
			expect(movedOn, node.nodeId).toEqual(Object.fromEntries(Object.entries(w.movedOn).filter(([, n]) => n !== 0)));
			// The true (lower) median of the raw durations lies in the reported bucket.
			const d = [...w.durations].sort((a, b) => a - b);
			if (d.length === 0) expect(node.medianTimeMs).toBeNull();
			else {
				const median = d[Math.ceil(d.length / 2) - 1]!;
				expect(median).toBeGreaterThanOrEqual(node.medianTimeRange!.lo);
				expect(median).toBeLessThan(node.medianTimeRange!.hi);
			}
		}
		const left = (id: string) => Object.values(want.nodes[id]?.movedOn ?? {}).reduce((a, b) => a + b, 0);
		for (const edge of result.edges) {
			const count = want.nodes[edge.source]?.movedOn[edge.branch] ?? 0;
			expect(edge.customers, edge.edgeId).toBe(count);
			expect(edge.share).toBe(left(edge.source) > 0 ? count / left(edge.source) : null);
		}
		const days = Object.fromEntries(
			result.daily.filter((p) => p.entered > 0 || p.converted > 0).map((p) => [p.day, { entered: p.entered, converted: p.converted }])
		);
		expect(days).toEqual(want.daily);
	});

	it.each([
		['everything', {}],
		['sms only', { channel: 'sms' }],
		['version 2, variant a', { version: 2, variant: 'a' }]
	] as [string, Slice][])('engagement per step matches the raw messages (test sends excluded): %s', async (_name, slice) => {
		const result = await journeyAnalytics(db.db, sc.journeyId, AnalyticsFilters.parse(slice));
		const want = expectedFigures(sc, slice);
		const got = Object.fromEntries(result.engagement.steps.filter((s) => Object.values(s.counts).some((n) => n > 0)).map((s) => [s.nodeId, s.counts]));
		expect(got).toEqual(want.engagement);
		const email = result.engagement.steps.find((s) => s.nodeId === 'email');
		if (email && !slice.channel) {
			expect(email.skippedBy).toEqual(want.nodes.email!.skippedBy);
			expect(email.rates.open).toBe(email.counts.delivered > 0 ? email.counts.opened / email.counts.delivered : null);
		}
		const sent = result.engagement.channels.reduce((s, c) => s + c.counts.sent, 0);
		expect(sent).toBe(Object.values(want.engagement).reduce((s, c) => s + c.sent!, 0));
	});

	it('the A/B table counts every arm, the holdout included', async () => {
		const result = await journeyAnalytics(db.db, sc.journeyId, AnalyticsFilters.parse({ version: 2 }));
		const want = expectedFigures(sc, { version: 2 });
		const ab = result.ab!;
		expect(ab.arms.map((a) => [a.id, a.customers, a.converted])).toEqual(
			['a', 'b', 'holdout'].map((id) => [id, want.arms[id]!.customers, want.arms[id]!.converted])
		);
		expect(ab.arms.map((a) => a.expectedShare)).toEqual([0.4, 0.4, 0.2]);
		expect(ab.srm?.df).toBe(2);
	});

	it.each([
		['everything', {}],
		['variant a from a day', { variant: 'a', from: '2026-03-04' }]
	] as [string, Slice][])('top paths and a chosen path funnel match the raw rows: %s', async (_name, slice) => {
		const chosen = ['trigger', 'email', 'sms', 'exit'];
		const result = await journeyAnalytics(db.db, sc.journeyId, AnalyticsFilters.parse({ ...slice, steps: chosen.join(',') }));
		const want = expectedPaths(sc, slice, chosen);
		expect(result.paths.distinct).toBe(want.counts.size);
		expect(Object.fromEntries(result.paths.top.map((p) => [p.steps.join(' > '), { customers: p.customers, converted: p.converted }]))).toEqual(
			Object.fromEntries(want.counts)
		);
		expect(result.paths.funnel!.map((s) => s.customers)).toEqual(want.reached);
		expect(result.paths.funnel![1]!.dropOff).toBe(want.reached[0]! - want.reached[1]!);
	});

	it('a retried progress write changes no figure', async () => {
		const before = await journeyAnalytics(db.db, sc.journeyId, AnalyticsFilters.parse({}));
		await recordProgress(db.db, sc.replay.ref, sc.replay.update);
		const after = await journeyAnalytics(db.db, sc.journeyId, AnalyticsFilters.parse({}));
		expect(after.nodes).toEqual(before.nodes);
		expect(after.kpis).toEqual(before.kpis);
	});
});
