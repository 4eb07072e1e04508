import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { analyticsConversions, analyticsPaths, analyticsStepDaily } from '../db/schema/analytics';
import { enrollments, stepLog } from '../db/schema/journeys';
import { RollupBatch, conversionContribution, pathOf, revenueOf, rowContribution, utcDay, type StepRow } from './rollup';

/** Enrollments replayed per round trip: their step rows are read together. */
const PAGE = 500;

/**
 * Recomputes every rollup of one journey (or of all) from the step log, enrollments, messages and their events,
 * with the same functions the incremental path uses (rollup.ts for the steps, analytics_rebuild_engagement — the
 * triggers' own SQL — for channel engagement), so a rebuild equals what the incremental path would hold. For
 * steps recorded before the rollups existed, or after a bug fix.
 *
 * One transaction per journey, with the source tables locked against writes (SHARE): a step or message event
 * recorded meanwhile waits for the rebuild instead of being counted twice or lost. Run by
 * `npm run analytics:rebuild [journeyId]` (scripts/analytics-rebuild.ts).
 */
export async function rebuildRollups(db: Db, journeyId?: string): Promise<{ journeys: number; enrollments: number }> {
	const ids = journeyId
		? [journeyId]
		: (await db.selectDistinct({ id: enrollments.journeyId }).from(enrollments).orderBy(asc(enrollments.journeyId))).map((r) => r.id);
	let total = 0;
	for (const id of ids) total += await db.transaction((tx) => rebuildJourney(tx, id));
	return { journeys: ids.length, enrollments: total };
}

async function rebuildJourney(tx: Db, journeyId: string): Promise<number> {
	await tx.execute(sql`lock table enrollments, step_log, messages, message_events in share mode`);
	await tx.delete(analyticsStepDaily).where(eq(analyticsStepDaily.journeyId, journeyId));
	await tx.delete(analyticsConversions).where(eq(analyticsConversions.journeyId, journeyId));
	await tx.delete(analyticsPaths).where(eq(analyticsPaths.journeyId, journeyId));
	await tx.execute(sql`select analytics_rebuild_engagement(${journeyId})`);

	let after = '';
	let count = 0;
	for (;;) {
		const page = await tx
			.select({
				id: enrollments.id,
				version: enrollments.version,
				customerId: enrollments.customerId,
				status: enrollments.status,
				currentNodeId: enrollments.currentNodeId,
				variant: enrollments.variant,
				enteredAt: enrollments.enteredAt
			})
			.from(enrollments)
			.where(and(eq(enrollments.journeyId, journeyId), gt(enrollments.id, after)))
			.orderBy(asc(enrollments.id))
			.limit(PAGE);
		if (page.length === 0) return count;
		after = page.at(-1)!.id;
		count += page.length;
		const rows = await tx
			.select({
				enrollmentId: stepLog.enrollmentId,
				id: stepLog.id,
				nodeId: stepLog.nodeId,
				visit: stepLog.visit,
				kind: stepLog.kind,
				branch: stepLog.branch,
				reason: stepLog.reason,
				detail: stepLog.detail,
				at: stepLog.at
			})
			.from(stepLog)
			.where(
				inArray(
					stepLog.enrollmentId,
					page.map((e) => e.id)
				)
			)
			.orderBy(asc(stepLog.enrollmentId), asc(stepLog.id));
		const stepsOf = new Map<string, StepRow[]>();
		for (const r of rows) stepsOf.set(r.enrollmentId, [...(stepsOf.get(r.enrollmentId) ?? []), r]);

		// Per (version, entry day), as the progress write adds them.
		const batch = new RollupBatch();
		for (const e of page) {
			const day = utcDay(e.enteredAt);
			const variant = e.variant ?? '';
			const out = batch.deltasFor(journeyId, e.version, day);
			const steps = stepsOf.get(e.id) ?? [];
			const entered = new Map(steps.filter((r) => r.kind === 'entered').map((r) => [`${r.nodeId}\n${r.visit}`, r.at]));
			for (const r of steps) rowContribution(out, variant, r, (nodeId, visit) => entered.get(`${nodeId}\n${visit}`), 1);

			// One conversion per enrollment (analytics_conversions' key), credited to every node it entered.
			const conversion = steps.find((r) => r.kind === 'converted');
			if (conversion) {
				const { revenue, name } = await revenueOf(tx, conversion.detail?.eventId);
				const passed = new Set(steps.filter((r) => r.kind === 'entered').map((r) => r.nodeId));
				conversionContribution(out, variant, conversion, revenue, passed, 1);
				await tx
					.insert(analyticsConversions)
					.values({
						enrollmentId: e.id,
						journeyId,
						version: e.version,
						variant,
						customerId: e.customerId,
						nodeId: conversion.nodeId,
						eventId: typeof conversion.detail?.eventId === 'string' ? conversion.detail.eventId : null,
						eventName: name ?? conversion.reason,
						revenue: revenue.toFixed(2),
						enteredAt: e.enteredAt,
						convertedAt: conversion.at
					})
					.onConflictDoNothing();
			}

			if (e.status === 'active') {
				if (e.currentNodeId) out.add({ variant, nodeId: e.currentNodeId, metric: 'here', key: '' }, { visits: 1, customers: 1 });
			} else {
				if (e.currentNodeId) out.add({ variant, nodeId: e.currentNodeId, metric: 'ended', key: e.status }, { visits: 1, customers: 1 });
				// The path as recordPath reads it: entered rows by time, then id.
				const ids = steps
					.filter((r) => r.kind === 'entered')
					.sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id)
					.map((r) => r.nodeId);
				batch.addPath({ journeyId, version: e.version, variant, day, path: pathOf(ids), customers: 1, converted: e.status === 'converted' ? 1 : 0 });
			}
		}
		await batch.write(tx);
	}
}
