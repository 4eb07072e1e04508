import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { insertRows } from '../db/json-rows';
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

/**
 * Entry times this process wrote lately, until the visit is left: a step's leaving row is usually written by the
 * worker that wrote its entry, a write or two later. An entry's time is the workflow's and never changes (a retried
 * write inserts the same), so a hit is exact; a miss (another worker, a restart, an old visit) reads the step log.
 */
const recentEntries = {
	map: new Map<string, Date>(),
	max: 100_000,
	remember(key: string, at: Date): void {
		if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
		this.map.set(key, at);
	},
	take(key: string): Date | undefined {
		const at = this.map.get(key);
		this.map.delete(key);
		return at;
	}
};

/** Forgets the remembered entry times, as a restart would (tests hold both ways to the same figures). */
export function forgetEntryTimes(): void {
	recentEntries.map.clear();
}

/** When each visit began, for the time in step: `at(enrollmentId)` answers for one enrollment. */
export type EnteredTimes = (enrollmentId: string) => (nodeId: string, visit: number) => Date | undefined;

/**
 * Entry times for the leaving rows of many enrollments: from the rows at hand, and one read of the step log for
 * visits entered in an earlier write.
 */
export async function enteredTimes(db: Db, rowsOf: Map<string, StepRow[]>): Promise<EnteredTimes> {
	const map = new Map<string, Date>();
	const key = (enrollmentId: string, nodeId: string, visit: number) => `${enrollmentId}\n${nodeId}\n${visit}`;
	for (const [id, rows] of rowsOf) for (const r of rows) if (r.kind === 'entered') map.set(key(id, r.nodeId, r.visit), r.at);
	const missing = new Set<string>();
	const nodes = new Set<string>();
	for (const [id, rows] of rowsOf)
		for (const r of rows) {
			const k = key(id, r.nodeId, r.visit);
			if (r.kind === 'entered') recentEntries.remember(k, r.at);
			else if (LEAVING.has(r.kind) && !map.has(k)) {
				const recent = recentEntries.take(k);
				if (recent) map.set(k, recent);
				else {
					missing.add(id);
					nodes.add(r.nodeId);
				}
			}
		}
	if (missing.size > 0) {
		const found = await db
			.select({ enrollmentId: stepLog.enrollmentId, nodeId: stepLog.nodeId, visit: stepLog.visit, at: stepLog.at })
			.from(stepLog)
			.where(and(inArray(stepLog.enrollmentId, [...missing]), eq(stepLog.kind, 'entered'), inArray(stepLog.nodeId, [...nodes])));
		for (const r of found) map.set(key(r.enrollmentId, r.nodeId, r.visit), r.at);
	}
	return (enrollmentId) => (nodeId, visit) => map.get(key(enrollmentId, nodeId, visit));
}

async function enteredNodes(db: Db, enrollmentId: string): Promise<string[]> {
	const rows = await db
		.selectDistinct({ nodeId: stepLog.nodeId })
		.from(stepLog)
		.where(and(eq(stepLog.enrollmentId, enrollmentId), eq(stepLog.kind, 'entered')));
	return rows.map((r) => r.nodeId);
}

/** One (journey, version, entry day)'s deltas; a RollupBatch writes all of its groups in one statement. */
export type DeltaGroup = { journeyId: string; version: number; day: string; deltas: Deltas };

async function applyGroups(db: Db, groups: Iterable<DeltaGroup>): Promise<void> {
	const rows = [...groups]
		.flatMap((g) => [...g.deltas.map.values()].map((d) => ({ ...d, journeyId: g.journeyId, version: g.version, day: g.day })))
		.filter((d) => d.visits !== 0 || d.customers !== 0 || d.amount !== 0)
		// One order for every writer, so two transactions touching the same rows never deadlock.
		.sort((a, b) =>
			compareKeys([a.journeyId, a.version, a.day, a.variant, a.nodeId, a.metric, a.key], [b.journeyId, b.version, b.day, b.variant, b.nodeId, b.metric, b.key])
		);
	if (rows.length === 0) return;
	await insertRows(
		db,
		analyticsStepDaily,
		rows.map((r) => ({
			journeyId: r.journeyId,
			version: r.version,
			day: r.day,
			variant: r.variant,
			nodeId: r.nodeId,
			metric: r.metric,
			key: r.key,
			visits: r.visits,
			customers: r.customers,
			amount: r.amount.toFixed(2)
		})),
		{
			onConflict: sql`(journey_id, version, variant, day, node_id, metric, key) do update set
				visits = ${analyticsStepDaily}.visits + excluded.visits,
				customers = ${analyticsStepDaily}.customers + excluded.customers,
				amount = ${analyticsStepDaily}.amount + excluded.amount`
		}
	);
}

function compareKeys(a: (string | number)[], b: (string | number)[]): number {
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
	return 0;
}

type PathRow = { journeyId: string; version: number; variant: string; day: string; path: string; customers: number; converted: number };

/**
 * What one transaction adds to the step and path rollups, across enrollments and journeys: merged here, then
 * written in one statement per table (a multi-row upsert cannot touch one row twice, so rows are merged first).
 */
export class RollupBatch {
	private readonly groups = new Map<string, DeltaGroup>();
	private readonly paths = new Map<string, PathRow>();
	private readonly ended: { ref: EnrollmentRef; variant: string; day: string; converted: boolean }[] = [];

	deltasFor(journeyId: string, version: number, day: string): Deltas {
		const id = JSON.stringify([journeyId, version, day]);
		let group = this.groups.get(id);
		if (!group) this.groups.set(id, (group = { journeyId, version, day, deltas: new Deltas() }));
		return group.deltas;
	}

	/** A finished path (the rebuild knows it already). */
	addPath(row: PathRow): void {
		const id = JSON.stringify([row.journeyId, row.version, row.variant, row.day, row.path]);
		const cur = this.paths.get(id);
		if (cur) {
			cur.customers += row.customers;
			cur.converted += row.converted;
		} else this.paths.set(id, { ...row });
	}

	/** An enrollment that ended in this transaction: its path is read from the step log when the batch is written. */
	pathEnded(ref: EnrollmentRef, variant: string, day: string, converted: boolean): void {
		this.ended.push({ ref, variant, day, converted });
	}

	async write(tx: Db): Promise<void> {
		if (this.ended.length > 0) {
			const rows = await tx
				.select({ enrollmentId: stepLog.enrollmentId, nodeId: stepLog.nodeId })
				.from(stepLog)
				.where(
					and(
						inArray(
							stepLog.enrollmentId,
							this.ended.map((e) => e.ref.enrollmentId)
						),
						eq(stepLog.kind, 'entered')
					)
				)
				.orderBy(asc(stepLog.enrollmentId), asc(stepLog.at), asc(stepLog.id));
			const entered = new Map<string, string[]>();
			for (const r of rows) entered.set(r.enrollmentId, [...(entered.get(r.enrollmentId) ?? []), r.nodeId]);
			for (const e of this.ended)
				this.addPath({
					journeyId: e.ref.journeyId,
					version: e.ref.version,
					variant: e.variant,
					day: e.day,
					path: pathOf(entered.get(e.ref.enrollmentId) ?? []),
					customers: 1,
					converted: e.converted ? 1 : 0
				});
			this.ended.length = 0;
		}
		await applyGroups(tx, this.groups.values());
		await addPathRows(tx, [...this.paths.values()]);
		this.groups.clear();
		this.paths.clear();
	}
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
 * Called by the worker's progress write inside its transaction, after inserting the step rows and updating the
 * enrollment; adds to `batch`, which the write flushes once for all its enrollments. `inserted` are the rows the
 * insert actually added; `patch` the enrollment update written; `row` the enrollment as it was before it (read
 * with the update, under its row lock); `assigned` the variant these rows assign; `entered` when their visits began.
 */
export async function maintainRollups(
	tx: Db,
	batch: RollupBatch,
	entered: EnteredTimes,
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
	const out = batch.deltasFor(ref.journeyId, ref.version, day);

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
		const lookup = (await enteredTimes(tx, new Map([[ref.enrollmentId, earlier]])))(ref.enrollmentId);
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
		const lookup = entered(ref.enrollmentId);
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
		batch.pathEnded(ref, after.variant, day, after.status === 'converted');
	}
}

/** Longest path kept in full; longer ones (loops) keep their start and are marked as cut. */
const MAX_PATH_STEPS = 40;

/** The path's key: the node ids entered, in order of time (then id), as a JSON array (node ids may contain any character). */
export function pathOf(ids: string[]): string {
	return JSON.stringify(ids.length > MAX_PATH_STEPS ? [...ids.slice(0, MAX_PATH_STEPS), '…'] : ids);
}

async function addPathRows(tx: Db, rows: PathRow[]): Promise<void> {
	if (rows.length === 0) return;
	rows.sort((a, b) => compareKeys([a.journeyId, a.version, a.variant, a.day, a.path], [b.journeyId, b.version, b.variant, b.day, b.path]));
	await insertRows(tx, analyticsPaths, rows, {
		onConflict: sql`(journey_id, version, variant, day, path) do update set
			customers = ${analyticsPaths}.customers + excluded.customers, converted = ${analyticsPaths}.converted + excluded.converted`
	});
}
