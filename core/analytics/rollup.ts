import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { analyticsConversions, analyticsPaths, analyticsStepDaily } from '../db/schema/analytics';
import { events } from '../db/schema/events';
import { enrollments, journeyVersions, stepLog, type EnrollmentStatus, type StepLogRow } from '../db/schema/journeys';
import type { EnrollmentRef } from '../enrollment/contract';
import { orderTotal } from '../identity/money';
import { dwellBucket } from './dwell';

/**
 * Keeps the analytics rollups (core/db/schema/analytics.ts) exact by updating them in the transaction that
 * writes the step log. Only rows the insert really added count (a retried write adds none), and enrollment
 * transitions (node, status, variant) are diffs of the row before and after, so a replay changes nothing.
 *
 * Why on write rather than a catch-up job over step_log.id: ids are taken before commit, so a job reading
 * "id > watermark" can skip a row committed late by a slower transaction; on write there is no such gap.
 */

export type StepRow = Pick<StepLogRow, 'id' | 'nodeId' | 'visit' | 'kind' | 'branch' | 'reason' | 'detail' | 'at'>;

export interface EnrollmentState {
	status: EnrollmentStatus;
	currentNodeId: string | null;
	variant: string;
}

type Delta = { visits: number; customers: number; amount: number };
type Key = { variant: string; nodeId: string; metric: string; key: string };

export class Deltas {
	readonly map = new Map<string, Key & Delta>();
	add(k: Key, d: Partial<Delta>, sign = 1): void {
		const id = JSON.stringify([k.variant, k.nodeId, k.metric, k.key]);
		const cur = this.map.get(id) ?? { ...k, visits: 0, customers: 0, amount: 0 };
		cur.visits += sign * (d.visits ?? 0);
		cur.customers += sign * (d.customers ?? 0);
		cur.amount += sign * (d.amount ?? 0);
		this.map.set(id, cur);
	}
}

export const LEAVING = new Set(['completed', 'branch', 'skipped', 'failed']);
const definitionCache = new Map<string, Map<string, string>>();

/** Node id → node type of a published version (immutable, so cached for the process). */
async function nodeTypes(db: Db, journeyId: string, version: number): Promise<Map<string, string>> {
	const cacheKey = `${journeyId}\n${version}`;
	const cached = definitionCache.get(cacheKey);
	if (cached) return cached;
	const [row] = await db
		.select({ definition: journeyVersions.definition })
		.from(journeyVersions)
		.where(and(eq(journeyVersions.journeyId, journeyId), eq(journeyVersions.version, version)));
	const nodes = (row?.definition as { nodes?: { id: string; type: string }[] } | undefined)?.nodes ?? [];
	const types = new Map(nodes.map((n) => [n.id, n.type]));
	if (row) {
		if (definitionCache.size > 500) definitionCache.clear();
		definitionCache.set(cacheKey, types);
	}
	return types;
}

export function utcDay(d: Date): string {
	return d.toISOString().slice(0, 10);
}

/** What one step row adds: `enteredAt(node, visit)` gives when that visit began, for the time in step. */
export function rowContribution(
	out: Deltas,
	variant: string,
	row: StepRow,
	enteredAt: (nodeId: string, visit: number) => Date | undefined,
	sign: number
): void {
	const first = row.visit === 1 ? 1 : 0;
	const at = (metric: string, key = '') => ({ variant, nodeId: row.nodeId, metric, key });
	if (row.kind === 'entered') out.add(at('entered'), { visits: 1, customers: first }, sign);
	if (row.kind === 'held') out.add(at('held', row.reason ?? ''), { visits: 1, customers: first }, sign);
	if (LEAVING.has(row.kind)) {
		out.add(at('left', row.kind === 'branch' ? (row.branch ?? '') : ''), { visits: 1, customers: first }, sign);
		if (row.kind === 'skipped') out.add(at('skipped', row.reason ?? ''), { visits: 1, customers: first }, sign);
		if (row.kind === 'failed') out.add(at('failed'), { visits: 1, customers: first }, sign);
		const since = enteredAt(row.nodeId, row.visit);
		if (since) out.add(at('dwell', String(dwellBucket(row.at.getTime() - since.getTime()))), { visits: 1, customers: first }, sign);
	}
}

/** A conversion: counted at the node it happened on, with its revenue, and on every node the enrollment passed. */
export function conversionContribution(out: Deltas, variant: string, row: StepRow, revenue: number, passed: Iterable<string>, sign: number): void {
	out.add({ variant, nodeId: row.nodeId, metric: 'converted', key: '' }, { visits: 1, customers: 1, amount: revenue }, sign);
	for (const nodeId of passed) out.add({ variant, nodeId, metric: 'reached_converted', key: '' }, { visits: 1, customers: 1 }, sign);
}

export async function revenueOf(db: Db, eventId: unknown): Promise<{ revenue: number; name: string | null }> {
	if (typeof eventId !== 'string') return { revenue: 0, name: null };
	const [ev] = await db.select({ name: events.name, properties: events.properties }).from(events).where(eq(events.id, eventId));
	return ev ? { revenue: orderTotal(ev.properties), name: ev.name } : { revenue: 0, name: null };
}

async function enteredLookup(db: Db, enrollmentId: string, rows: StepRow[], known: StepRow[]): Promise<(nodeId: string, visit: number) => Date | undefined> {
	const map = new Map<string, Date>();
	for (const r of known) if (r.kind === 'entered') map.set(`${r.nodeId}\n${r.visit}`, r.at);
	const missing = rows.filter((r) => LEAVING.has(r.kind) && !map.has(`${r.nodeId}\n${r.visit}`));
	if (missing.length > 0) {
		const found = await db
			.select({ nodeId: stepLog.nodeId, visit: stepLog.visit, at: stepLog.at })
			.from(stepLog)
			.where(and(eq(stepLog.enrollmentId, enrollmentId), eq(stepLog.kind, 'entered'), inArray(stepLog.nodeId, [...new Set(missing.map((r) => r.nodeId))])));
		for (const r of found) map.set(`${r.nodeId}\n${r.visit}`, r.at);
	}
	return (nodeId, visit) => map.get(`${nodeId}\n${visit}`);
}

async function enteredNodes(db: Db, enrollmentId: string): Promise<string[]> {
	const rows = await db
		.selectDistinct({ nodeId: stepLog.nodeId })
		.from(stepLog)
		.where(and(eq(stepLog.enrollmentId, enrollmentId), eq(stepLog.kind, 'entered')));
	return rows.map((r) => r.nodeId);
}

export async function apply(db: Db, journeyId: string, version: number, day: string, deltas: Deltas): Promise<void> {
	const rows = [...deltas.map.values()]
		.filter((d) => d.visits !== 0 || d.customers !== 0 || d.amount !== 0)
		// One order for every writer, so two transactions touching the same rows never deadlock.
		.sort((a, b) => (a.variant + '\n' + a.nodeId + '\n' + a.metric + '\n' + a.key < b.variant + '\n' + b.nodeId + '\n' + b.metric + '\n' + b.key ? -1 : 1));
	if (rows.length === 0) return;
	await db
		.insert(analyticsStepDaily)
		.values(
			rows.map((r) => ({
				journeyId,
				version,
				day,
				variant: r.variant,
				nodeId: r.nodeId,
				metric: r.metric,
				key: r.key,
				visits: r.visits,
				customers: r.customers,
				amount: r.amount.toFixed(2)
			}))
		)
		.onConflictDoUpdate({
			target: [
				analyticsStepDaily.journeyId,
				analyticsStepDaily.version,
				analyticsStepDaily.variant,
				analyticsStepDaily.day,
				analyticsStepDaily.nodeId,
				analyticsStepDaily.metric,
				analyticsStepDaily.key
			],
			set: {
				visits: sql`${analyticsStepDaily.visits} + excluded.visits`,
				customers: sql`${analyticsStepDaily.customers} + excluded.customers`,
				amount: sql`${analyticsStepDaily.amount} + excluded.amount`
			}
		});
}

/** The enrollment row as it was before this write: what the rollups diff against. */
export type EnrollmentBefore = { status: EnrollmentStatus; currentNodeId: string | null; variant: string | null; enteredAt: Date };

/** The enrollment row before this write, read on its own (recordProgress reads it from its UPDATE instead). */
export async function enrollmentBefore(tx: Db, enrollmentId: string): Promise<EnrollmentBefore | undefined> {
	const [row] = await tx
		.select({ status: enrollments.status, currentNodeId: enrollments.currentNodeId, variant: enrollments.variant, enteredAt: enrollments.enteredAt })
		.from(enrollments)
		.where(eq(enrollments.id, enrollmentId));
	return row;
}

/** A split's branch row carries the variant: the one these rows assign, if any (recorded on the enrollment now). */
export async function assignedVariant(tx: Db, ref: EnrollmentRef, inserted: StepRow[]): Promise<string | undefined> {
	let assigned: string | undefined;
	if (inserted.some((r) => r.kind === 'branch')) {
		const types = await nodeTypes(tx, ref.journeyId, ref.version);
		for (const r of inserted) if (r.kind === 'branch' && types.get(r.nodeId) === 'randomSplit' && r.branch) assigned = r.branch;
	}
	return assigned;
}

/**
 * Called by recordProgress inside its transaction, after inserting the step rows and updating the enrollment.
 * `inserted` are the rows the insert actually added; `patch` the enrollment update written; `row` the enrollment
 * as it was before it (read with the update, under its row lock); `assigned` the variant these rows assign.
 */
export async function maintainRollups(
	tx: Db,
	ref: EnrollmentRef,
	inserted: StepRow[],
	patch: { status?: EnrollmentStatus; currentNodeId?: string; variant?: string },
	row: EnrollmentBefore,
	assigned: string | undefined
): Promise<void> {
	const before: EnrollmentState = { status: row.status, currentNodeId: row.currentNodeId, variant: row.variant ?? '' };
	const after: EnrollmentState = {
		status: patch.status ?? before.status,
		currentNodeId: patch.currentNodeId ?? before.currentNodeId,
		variant: patch.variant ?? assigned ?? before.variant
	};
	const day = utcDay(row.enteredAt);
	const out = new Deltas();

	// Everything counted so far moves with the enrollment when its variant changes.
	if (after.variant !== before.variant) {
		const earlier = await tx
			.select({
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
				and(
					eq(stepLog.enrollmentId, ref.enrollmentId),
					inserted.length > 0
						? notInArray(
								stepLog.id,
								inserted.map((r) => r.id)
							)
						: undefined
				)
			)
			.orderBy(asc(stepLog.id));
		const lookup = await enteredLookup(tx, ref.enrollmentId, [], earlier);
		const passed = [...new Set(earlier.filter((r) => r.kind === 'entered').map((r) => r.nodeId))];
		for (const r of earlier) {
			rowContribution(out, before.variant, r, lookup, -1);
			rowContribution(out, after.variant, r, lookup, 1);
			if (r.kind === 'converted') {
				const { revenue } = await revenueOf(tx, r.detail?.eventId);
				conversionContribution(out, before.variant, r, revenue, passed, -1);
				conversionContribution(out, after.variant, r, revenue, passed, 1);
			}
		}
		await tx.update(analyticsConversions).set({ variant: after.variant }).where(eq(analyticsConversions.enrollmentId, ref.enrollmentId));
	}

	if (inserted.length > 0) {
		const lookup = await enteredLookup(tx, ref.enrollmentId, inserted, inserted);
		for (const r of inserted) rowContribution(out, after.variant, r, lookup, 1);
		const conversion = inserted.find((r) => r.kind === 'converted');
		if (conversion) {
			const { revenue, name } = await revenueOf(tx, conversion.detail?.eventId);
			conversionContribution(out, after.variant, conversion, revenue, await enteredNodes(tx, ref.enrollmentId), 1);
			await tx
				.insert(analyticsConversions)
				.values({
					enrollmentId: ref.enrollmentId,
					journeyId: ref.journeyId,
					version: ref.version,
					variant: after.variant,
					customerId: ref.customerId,
					nodeId: conversion.nodeId,
					eventId: typeof conversion.detail?.eventId === 'string' ? conversion.detail.eventId : null,
					eventName: name ?? conversion.reason,
					revenue: revenue.toFixed(2),
					enteredAt: row.enteredAt,
					convertedAt: conversion.at
				})
				.onConflictDoNothing();
		}
	}

	// Where active enrollments are now, and where ended ones ended.
	if (before.status === 'active' && before.currentNodeId)
		out.add({ variant: before.variant, nodeId: before.currentNodeId, metric: 'here', key: '' }, { visits: 1, customers: 1 }, -1);
	if (after.status === 'active' && after.currentNodeId)
		out.add({ variant: after.variant, nodeId: after.currentNodeId, metric: 'here', key: '' }, { visits: 1, customers: 1 }, 1);
	if (before.status === 'active' && after.status !== 'active') {
		if (after.currentNodeId)
			out.add({ variant: after.variant, nodeId: after.currentNodeId, metric: 'ended', key: after.status }, { visits: 1, customers: 1 }, 1);
		await recordPath(tx, ref, after, day);
	}

	await apply(tx, ref.journeyId, ref.version, day, out);
}

/** Longest path kept in full; longer ones (loops) keep their start and are marked as cut. */
const MAX_PATH_STEPS = 40;

async function recordPath(tx: Db, ref: EnrollmentRef, state: EnrollmentState, day: string): Promise<void> {
	const entered = await tx
		.select({ nodeId: stepLog.nodeId })
		.from(stepLog)
		.where(and(eq(stepLog.enrollmentId, ref.enrollmentId), eq(stepLog.kind, 'entered')))
		.orderBy(asc(stepLog.at), asc(stepLog.id));
	await addPaths(tx, ref.journeyId, ref.version, [
		{ variant: state.variant, day, path: pathOf(entered.map((r) => r.nodeId)), customers: 1, converted: state.status === 'converted' ? 1 : 0 }
	]);
}

/** The path's key: the node ids entered, in order of time (then id), as a JSON array (node ids may contain any character). */
export function pathOf(ids: string[]): string {
	return JSON.stringify(ids.length > MAX_PATH_STEPS ? [...ids.slice(0, MAX_PATH_STEPS), '…'] : ids);
}

export async function addPaths(
	tx: Db,
	journeyId: string,
	version: number,
	rows: { variant: string; day: string; path: string; customers: number; converted: number }[]
): Promise<void> {
	if (rows.length === 0) return;
	await tx
		.insert(analyticsPaths)
		.values(rows.map((r) => ({ journeyId, version, ...r })))
		.onConflictDoUpdate({
			target: [analyticsPaths.journeyId, analyticsPaths.version, analyticsPaths.variant, analyticsPaths.day, analyticsPaths.path],
			set: { customers: sql`${analyticsPaths.customers} + excluded.customers`, converted: sql`${analyticsPaths.converted} + excluded.converted` }
		});
}
