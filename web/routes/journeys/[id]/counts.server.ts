import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '$core/db/client';
import { enrollments, stepLog } from '$core/db/schema/journeys';

/** Customers in each step now, and how many entered it (all versions: a step keeps its id across versions). */
export interface StepCounts {
	now: Record<string, number>;
	entered: Record<string, number>;
}

export async function stepCounts(db: Db, journeyId: string): Promise<StepCounts> {
	const [inside, entered] = await Promise.all([
		db
			.select({ nodeId: enrollments.currentNodeId, n: sql<number>`count(*)::int` })
			.from(enrollments)
			.where(and(eq(enrollments.journeyId, journeyId), eq(enrollments.status, 'active'), isNotNull(enrollments.currentNodeId)))
			.groupBy(enrollments.currentNodeId),
		db
			.select({ nodeId: stepLog.nodeId, n: sql<number>`count(distinct ${stepLog.enrollmentId})::int` })
			.from(stepLog)
			.where(and(eq(stepLog.journeyId, journeyId), eq(stepLog.kind, 'entered')))
			.groupBy(stepLog.nodeId)
	]);
	return {
		now: Object.fromEntries(inside.map((r) => [r.nodeId!, r.n])),
		entered: Object.fromEntries(entered.map((r) => [r.nodeId, r.n]))
	};
}
