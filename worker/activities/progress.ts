import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../core/db/client';
import { GroupCommit, type GroupCommitOptions } from '../../core/db/group-commit';
import { customers } from '../../core/db/schema/customers';
import { jsonParam, rowsOf, sized } from '../../core/db/rows';
import { survivorOf } from '../../core/identity/lookup';
import { RollupBatch, assignedVariant, enteredTimes, maintainRollups, type EnrollmentBefore, type StepRow } from '../../core/analytics/rollup';
import { enrollments, stepLog, type EnrollmentStatus } from '../../core/db/schema/journeys';
import type { EnrollmentRef } from '../../core/enrollment/contract';
import type { ActionInput, ActionOutcome, ProgressUpdate, StepRecord } from '../../core/enrollment/activities';

/**
 * The step log, the enrollment row and the analytics rollups, written together. Step rows are unique on
 * (enrollment, node, visit, kind), so a retried or replayed write is a no-op rather than a double count in the
 * funnel. The worker writes the progress of many enrollments in one transaction (ProgressWriter below); this is
 * the same write for one.
 */
export async function recordProgress(db: Db, ref: EnrollmentRef, update: ProgressUpdate): Promise<void> {
	await writeProgress(db, [{ ref, update }]);
}

export type ProgressItem = { ref: EnrollmentRef; update: ProgressUpdate };

/**
 * Many enrollments' progress in one transaction, a handful of statements whatever their number: the step rows
 * (one insert), the enrollment updates (one statement returning each row as it was, for the rollups' diff), the
 * entry times of the visits they leave (one read), the rollups and paths (one upsert each). The same enrollment
 * twice (a retried activity beside its first attempt) is written in order, in a later round of the transaction.
 */
export async function writeProgress(db: Db, items: ProgressItem[]): Promise<void> {
	await db.transaction(async (tx) => {
		const batch = new RollupBatch();
		for (const round of rounds(items)) await writeRound(tx, batch, round);
		await batch.write(tx);
	});
}

function rounds(items: ProgressItem[]): ProgressItem[][] {
	const out: ProgressItem[][] = [];
	const seen = new Map<string, number>();
	for (const item of items) {
		const n = seen.get(item.ref.enrollmentId) ?? 0;
		seen.set(item.ref.enrollmentId, n + 1);
		(out[n] ??= []).push(item);
	}
	return out;
}

type Patch = {
	currentNodeId?: string;
	interests?: ProgressUpdate['interests'];
	variant?: string;
	status?: EnrollmentStatus;
	endedAt?: Date;
	exitReason?: string;
};

async function writeRound(tx: Db, batch: RollupBatch, items: ProgressItem[]): Promise<void> {
	const inserted = await insertSteps(tx, items);
	const planned: { item: ProgressItem; rows: StepRow[]; assigned: string | undefined; patch: Patch }[] = [];
	for (const item of items) {
		const { ref, update } = item;
		const rows = inserted.get(ref.enrollmentId) ?? [];
		// A split's variant is recorded now (the workflow writes it at the end too).
		const assigned = await assignedVariant(tx, ref, rows);
		const patch: Patch = {};
		if (update.currentNodeId !== undefined) patch.currentNodeId = update.currentNodeId;
		if (update.interests !== undefined) patch.interests = update.interests;
		const variant = update.variant ?? assigned;
		if (variant !== undefined) patch.variant = variant;
		if (update.status !== undefined) {
			patch.status = update.status;
			if (update.status !== 'active') patch.endedAt = new Date(update.steps.at(-1)?.at ?? Date.now());
		}
		if (update.exitReason !== undefined) patch.exitReason = update.exitReason;
		planned.push({ item, rows, assigned, patch });
	}
	const before = await updateReturningBefore(
		tx,
		planned.filter((p) => Object.keys(p.patch).length > 0).map((p) => ({ id: p.item.ref.enrollmentId, patch: p.patch }))
	);
	const unpatched = planned.filter((p) => Object.keys(p.patch).length === 0).map((p) => p.item.ref.enrollmentId);
	for (const [id, row] of await enrollmentsBefore(tx, unpatched)) before.set(id, row);
	const entered = await enteredTimes(tx, new Map(planned.map((p) => [p.item.ref.enrollmentId, p.rows])));
	for (const { item, rows, assigned } of planned) {
		const row = before.get(item.ref.enrollmentId);
		if (!row) continue;
		// Rollups in the same transaction (exact: only rows really inserted count).
		const { status, currentNodeId, variant } = item.update;
		await maintainRollups(tx, batch, entered, item.ref, rows, { status, currentNodeId, variant }, row, assigned);
	}
}

/**
 * Every item's step rows in one insert; the rows really added, by enrollment. Grouped by enrollment so writers lock
 * in one order, each enrollment's rows kept in the workflow's order: their ids order rows of the same instant
 * (a path is read by time, then id). The rows go as one jsonb parameter: drizzle and the driver would otherwise
 * handle a dozen parameters a row, which was the largest single cost of a progress write.
 */
async function insertSteps(tx: Db, items: ProgressItem[]): Promise<Map<string, StepRow[]>> {
	const values = items
		.flatMap(({ ref, update }) =>
			update.steps.map((s) => ({
				enrollment_id: ref.enrollmentId,
				journey_id: ref.journeyId,
				version: ref.version,
				customer_id: ref.customerId,
				node_id: s.nodeId,
				visit: s.visit,
				kind: s.kind,
				branch: s.branch ?? null,
				reason: s.reason ?? null,
				detail: s.detail ?? null,
				at: new Date(s.at).toISOString()
			}))
		)
		.sort((a, b) => compare(a.enrollment_id, b.enrollment_id))
		.map((v, ord) => ({ ...v, ord }));
	const byEnrollment = new Map<string, StepRow[]>();
	if (values.length === 0) return byEnrollment;
	const result = await tx.execute(sql`
		insert into ${stepLog} (enrollment_id, journey_id, version, customer_id, node_id, visit, kind, branch, reason, detail, at)
		select x.enrollment_id, x.journey_id, x.version, x.customer_id, x.node_id, x.visit, x.kind, x.branch, x.reason, x.detail, x.at
		from jsonb_to_recordset(${jsonParam(values)}) as x(
			enrollment_id text, journey_id text, version int, customer_id text, node_id text, visit int, kind text,
			branch text, reason text, detail jsonb, at timestamptz, ord int)
		order by x.ord
		on conflict do nothing
		returning id, enrollment_id, node_id, visit, kind, branch, reason, detail, round(extract(epoch from at) * 1000)::bigint as at_ms`);
	type Raw = {
		id: number | string;
		enrollment_id: string;
		node_id: string;
		visit: number;
		kind: StepRow['kind'];
		branch: string | null;
		reason: string | null;
		detail: unknown;
		at_ms: number | string;
	};
	const rows = rowsOf<Raw>(result).map((r) => ({
		enrollmentId: r.enrollment_id,
		row: {
			id: Number(r.id),
			nodeId: r.node_id,
			visit: r.visit,
			kind: r.kind,
			branch: r.branch,
			reason: r.reason,
			// Drivers hand jsonb back parsed or as text.
			detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as StepRow['detail'],
			at: new Date(Number(r.at_ms))
		} satisfies StepRow
	}));
	for (const { enrollmentId, row } of rows.sort((a, b) => a.row.id - b.row.id))
		byEnrollment.set(enrollmentId, [...(byEnrollment.get(enrollmentId) ?? []), row]);
	return byEnrollment;
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Updates the enrollments and returns each row as it was: a self-join on the rows, locked in id order for the
 * update, so two writers never wait on each other in a cycle.
 */
async function updateReturningBefore(tx: Db, patches: { id: string; patch: Patch }[]): Promise<Map<string, EnrollmentBefore>> {
	const out = new Map<string, EnrollmentBefore>();
	if (patches.length === 0) return out;
	const input = patches.map(({ id, patch }) => ({
		id,
		set_node: patch.currentNodeId !== undefined,
		node: patch.currentNodeId ?? null,
		set_interests: patch.interests !== undefined,
		interests: patch.interests ?? null,
		variant: patch.variant ?? null,
		status: patch.status ?? null,
		ended_at: patch.endedAt?.toISOString() ?? null,
		exit_reason: patch.exitReason ?? null
	}));
	const rows = rowsOf<{ id: string; status: EnrollmentStatus; current_node_id: string | null; variant: string | null; entered_at: string | Date }>(
		await tx.execute(sql`
			with input as ${sized(
				sql`jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as x(
					id text, set_node boolean, node text, set_interests boolean, interests jsonb, variant text, status text, ended_at timestamptz, exit_reason text)`,
				input.length
			)}, old as (
				select e.id, e.status, e.current_node_id, e.variant, e.entered_at from enrollments e
				where e.id in (select id from input) order by e.id for update
			)
			update enrollments e set
				current_node_id = case when i.set_node then i.node else e.current_node_id end,
				interests = case when i.set_interests then i.interests else e.interests end,
				variant = coalesce(i.variant, e.variant),
				status = coalesce(i.status, e.status),
				ended_at = coalesce(i.ended_at, e.ended_at),
				exit_reason = coalesce(i.exit_reason, e.exit_reason)
			from input i join old o on o.id = i.id
			where e.id = i.id
			returning o.id, o.status, o.current_node_id, o.variant, o.entered_at`)
	);
	for (const r of rows) out.set(r.id, { status: r.status, currentNodeId: r.current_node_id, variant: r.variant, enteredAt: new Date(r.entered_at) });
	return out;
}

/** The rows as they are, for writes that change no column of them (the rollups still diff against them). */
async function enrollmentsBefore(tx: Db, ids: string[]): Promise<Map<string, EnrollmentBefore>> {
	if (ids.length === 0) return new Map();
	const rows = await tx
		.select({
			id: enrollments.id,
			status: enrollments.status,
			currentNodeId: enrollments.currentNodeId,
			variant: enrollments.variant,
			enteredAt: enrollments.enteredAt
		})
		.from(enrollments)
		.where(inArray(enrollments.id, ids));
	return new Map(rows.map(({ id, ...row }) => [id, row]));
}

/**
 * The worker's progress writes, group-committed (core/db/group-commit.ts): activities of many enrollments that
 * write at once share one transaction. If that transaction fails, each item is written alone, so one bad item (or
 * a deadlock with another writer) fails only its own activity, which Temporal retries.
 */
export class ProgressWriter {
	private readonly group: GroupCommit<ProgressItem, void>;

	constructor(db: Db, o: GroupCommitOptions = {}) {
		this.group = new GroupCommit((items) => writeGroup(db, items), { maxInFlight: o.maxInFlight ?? 2, maxBatch: o.maxBatch ?? 100 });
	}

	write(ref: EnrollmentRef, update: ProgressUpdate): Promise<void> {
		return this.group.submit({ ref, update });
	}

	get stats(): { writes: number; items: number } {
		return this.group.stats;
	}
}

async function writeGroup(db: Db, items: ProgressItem[]): Promise<PromiseSettledResult<void>[]> {
	try {
		await writeProgress(db, items);
		return items.map(() => ({ status: 'fulfilled', value: undefined }));
	} catch (err) {
		if (items.length === 1) return [{ status: 'rejected', reason: err }];
		const results: PromiseSettledResult<void>[] = [];
		for (const item of items)
			results.push(
				await writeProgress(db, [item]).then(
					() => ({ status: 'fulfilled', value: undefined }) as const,
					(reason: unknown) => ({ status: 'rejected', reason }) as const
				)
			);
		return results;
	}
}

/**
 * Every activity given an action's input with `progress` (the steps the workflow queued since its last write, see
 * Enrollment.takeProgress) records it with the action, in one write and no local activity: once the action is
 * done, skipped or held, or when it fails (the retry, or the workflow's `failed` row, follows it). Given `finish`
 * (the journey ends right after the step), that same write carries the action's own row and the end, and the
 * activity says so (`finished`). A retry records everything again, which adds nothing (see recordProgress); an
 * action that fails or is held writes no end (the workflow goes on).
 */
export function writingProgressWithActions<A extends object>(progress: ProgressWriter, activities: A): A {
	const wrapped: Record<string, unknown> = {};
	for (const [name, fn] of Object.entries(activities)) {
		wrapped[name] =
			typeof fn === 'function'
				? async (...args: unknown[]) => {
						const input = args[0] as Partial<ActionInput<{ id: string }>> | undefined;
						const action = input && typeof input === 'object' && input.ref ? (input as ActionInput<{ id: string }>) : undefined;
						if (!action?.progress && !action?.finish) return fn(...args);
						let acted: ActionOutcome;
						try {
							acted = (await fn(...args)) as ActionOutcome;
						} catch (err) {
							if (action.progress) await progress.write(action.ref, action.progress);
							throw err;
						}
						if (!action.finish || acted.status === 'held') {
							if (action.progress) await progress.write(action.ref, action.progress);
							return acted;
						}
						// Stamped when the action finished, as the workflow would when it heard back; never before the workflow
						// time the end was planned at (a test server skipping time runs ahead of this clock).
						const at = Math.max(Date.now(), action.finish.steps[0]?.at ?? 0);
						const steps = [...(action.progress?.steps ?? []), stepRowOf(action, acted, at), ...action.finish.steps.map((s) => ({ ...s, at }))];
						await progress.write(action.ref, { ...action.progress, ...action.finish, steps });
						return { ...acted, finished: true };
					}
				: fn;
	}
	return wrapped as A;
}

/** The row the workflow would note for an action's outcome (see runAction). */
function stepRowOf(input: ActionInput<{ id: string }>, outcome: Exclude<ActionOutcome, { status: 'held' }>, at: number): StepRecord {
	return outcome.status === 'skipped'
		? { nodeId: input.node.id, visit: input.visit, kind: 'skipped', reason: outcome.reason, detail: outcome.detail, at }
		: { nodeId: input.node.id, visit: input.visit, kind: 'completed', detail: outcome.detail, at };
}

/** The profile's zone; follows merges so a profile merged mid-journey still answers for the customer. */
export async function customerTimeZone(db: Db, ref: EnrollmentRef): Promise<string | null> {
	const id = await survivorOf(db, ref.customerId);
	if (!id) return null;
	const [row] = await db.select({ timezone: customers.timezone }).from(customers).where(eq(customers.id, id));
	return row?.timezone ?? null;
}
