import { eq } from 'drizzle-orm';
import type { Db } from '../../core/db/client';
import { customers } from '../../core/db/schema/customers';
import { survivorOf } from '../../core/identity/lookup';
import { assignedVariant, enrollmentBefore, maintainRollups, type EnrollmentBefore, type StepRow } from '../../core/analytics/rollup';
import { enrollments, stepLog } from '../../core/db/schema/journeys';
import type { EnrollmentRef } from '../../core/enrollment/contract';
import type { ActionInput, ProgressUpdate } from '../../core/enrollment/activities';

/**
 * The step log and the enrollment row, written together. Step rows are unique on (enrollment, node, visit, kind),
 * so a retried or replayed write is a no-op rather than a double count in the funnel. Four statements in one
 * transaction: the step rows, the enrollment update (which also returns the row as it was, for the rollups'
 * diff), the rollup upserts, and — at the end only — the path.
 */
export async function recordProgress(db: Db, ref: EnrollmentRef, update: ProgressUpdate): Promise<void> {
	await db.transaction(async (tx) => {
		let inserted: StepRow[] = [];
		if (update.steps.length > 0) {
			inserted = await tx
				.insert(stepLog)
				.values(
					update.steps.map((s) => ({
						enrollmentId: ref.enrollmentId,
						journeyId: ref.journeyId,
						version: ref.version,
						customerId: ref.customerId,
						nodeId: s.nodeId,
						visit: s.visit,
						kind: s.kind,
						branch: s.branch ?? null,
						reason: s.reason ?? null,
						detail: s.detail ?? null,
						at: new Date(s.at)
					}))
				)
				.onConflictDoNothing()
				.returning();
		}
		// A split's variant is recorded now (the workflow writes it at the end too).
		const assigned = await assignedVariant(tx, ref, inserted);
		const patch: Partial<typeof enrollments.$inferInsert> = {};
		if (update.currentNodeId !== undefined) patch.currentNodeId = update.currentNodeId;
		if (update.interests !== undefined) patch.interests = update.interests;
		const variant = update.variant ?? assigned;
		if (variant !== undefined) patch.variant = variant;
		if (update.status !== undefined) {
			patch.status = update.status;
			if (update.status !== 'active') patch.endedAt = new Date(update.steps.at(-1)?.at ?? Date.now());
		}
		if (update.exitReason !== undefined) patch.exitReason = update.exitReason;
		const before = Object.keys(patch).length > 0 ? await updateReturningBefore(tx, ref.enrollmentId, patch) : await enrollmentBefore(tx, ref.enrollmentId);
		if (!before) return;
		// Rollups in the same transaction (exact: only rows really inserted count).
		await maintainRollups(tx, ref, inserted, { status: update.status, currentNodeId: update.currentNodeId, variant: update.variant }, before, assigned);
	});
}

/** Updates the enrollment and returns the row as it was (a self-join on the row, locked for the update). */
async function updateReturningBefore(tx: Db, id: string, patch: Partial<typeof enrollments.$inferInsert>): Promise<EnrollmentBefore | undefined> {
	const old = tx
		.select({
			id: enrollments.id,
			status: enrollments.status,
			currentNodeId: enrollments.currentNodeId,
			variant: enrollments.variant,
			enteredAt: enrollments.enteredAt
		})
		.from(enrollments)
		.where(eq(enrollments.id, id))
		.for('update')
		.as('old');
	const [row] = await tx
		.update(enrollments)
		.set(patch)
		.from(old)
		.where(eq(enrollments.id, old.id))
		.returning({ status: old.status, currentNodeId: old.currentNodeId, variant: old.variant, enteredAt: old.enteredAt });
	return row && { ...row, enteredAt: new Date(row.enteredAt) };
}

/**
 * Every activity given an action's input with `progress` (the steps the workflow queued since its last write, see
 * Enrollment.takeProgress) records it before acting: the step's entry is in the log before its effect, with no
 * local activity of its own. A retry records it again, which adds nothing (see recordProgress).
 */
export function writingProgressFirst<A extends object>(db: Db, activities: A): A {
	const wrapped: Record<string, unknown> = {};
	for (const [name, fn] of Object.entries(activities)) {
		wrapped[name] =
			typeof fn === 'function'
				? async (...args: unknown[]) => {
						const input = args[0] as Partial<ActionInput<unknown>> | undefined;
						if (input && typeof input === 'object' && input.progress && input.ref) await recordProgress(db, input.ref, input.progress);
						return fn(...args);
					}
				: fn;
	}
	return wrapped as A;
}

/** The profile's zone; follows merges so a profile merged mid-journey still answers for the customer. */
export async function customerTimeZone(db: Db, ref: EnrollmentRef): Promise<string | null> {
	const id = await survivorOf(db, ref.customerId);
	if (!id) return null;
	const [row] = await db.select({ timezone: customers.timezone }).from(customers).where(eq(customers.id, id));
	return row?.timezone ?? null;
}
