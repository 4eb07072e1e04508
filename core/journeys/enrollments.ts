import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { identities } from '../db/schema/customers';
import { enrollments, journeyVersions, stepLog, type Enrollment, type StepLogRow } from '../db/schema/journeys';
import { JourneyError } from './errors';
import type { ListEnrollmentsQuery } from './input';
import { getJourney, type Page } from './journeys';
import { stepLabels } from './validation';

/** An enrollment as people read it: who (their e-mail when known) and where they are (the step's label). */
export type EnrollmentListItem = Enrollment & { customerEmail: string | null; currentStepLabel: string | null };
/** A step-log row as the enrollment page shows it, with the step label of the version it ran on. */
export type LabelledStep = StepLogRow & { stepLabel: string };

/** Step labels of the versions these enrollments are pinned to, by version then node id. */
async function labelsByVersion(db: Db, journeyId: string, versions: number[]): Promise<Map<number, Map<string, string>>> {
	if (versions.length === 0) return new Map();
	const rows = await db
		.select({ version: journeyVersions.version, definition: journeyVersions.definition })
		.from(journeyVersions)
		.where(and(eq(journeyVersions.journeyId, journeyId), inArray(journeyVersions.version, [...new Set(versions)])));
	return new Map(rows.map((r) => [r.version, stepLabels(r.definition)]));
}

async function emailsOf(db: Db, customerIds: string[]): Promise<Map<string, string>> {
	if (customerIds.length === 0) return new Map();
	const rows = await db
		.select({ customerId: identities.customerId, value: identities.value })
		.from(identities)
		.where(and(eq(identities.kind, 'email'), inArray(identities.customerId, [...new Set(customerIds)])))
		.orderBy(asc(identities.firstSeenAt));
	const out = new Map<string, string>();
	for (const r of rows) if (!out.has(r.customerId)) out.set(r.customerId, r.value);
	return out;
}

async function decorate(db: Db, journeyId: string, rows: Enrollment[]): Promise<EnrollmentListItem[]> {
	const [labels, emails] = await Promise.all([
		labelsByVersion(
			db,
			journeyId,
			rows.map((r) => r.version)
		),
		emailsOf(
			db,
			rows.map((r) => r.customerId)
		)
	]);
	return rows.map((r) => ({
		...r,
		customerEmail: emails.get(r.customerId) ?? null,
		currentStepLabel: r.currentNodeId === null ? null : (labels.get(r.version)?.get(r.currentNodeId) ?? r.currentNodeId)
	}));
}

/** Newest entries first. */
export async function listEnrollments(db: Db, journeyId: string, query: ListEnrollmentsQuery): Promise<Page<EnrollmentListItem>> {
	await getJourney(db, journeyId);
	const filters: SQL[] = [eq(enrollments.journeyId, journeyId)];
	if (query.status) filters.push(eq(enrollments.status, query.status));
	const where = and(...filters);
	const [rows, [counted]] = await Promise.all([
		db
			.select()
			.from(enrollments)
			.where(where)
			.orderBy(desc(enrollments.enteredAt), asc(enrollments.id))
			.limit(query.pageSize)
			.offset((query.page - 1) * query.pageSize),
		db
			.select({ total: sql<number>`count(*)::int` })
			.from(enrollments)
			.where(where)
	]);
	return { items: await decorate(db, journeyId, rows), total: counted?.total ?? 0, page: query.page, pageSize: query.pageSize };
}

export type EnrollmentDetail = {
	enrollment: EnrollmentListItem;
	steps: LabelledStep[];
	/** Step labels of the version the enrollment is pinned to, by node id. */
	labels: Record<string, string>;
};

/** One enrollment and its recorded steps, oldest first. */
export async function getEnrollment(db: Db, journeyId: string, enrollmentId: string): Promise<EnrollmentDetail> {
	const [row] = await db
		.select()
		.from(enrollments)
		.where(and(eq(enrollments.id, enrollmentId), eq(enrollments.journeyId, journeyId)));
	if (!row) throw new JourneyError('not_found', `This journey has no enrollment “${enrollmentId}”.`);
	const [[enrollment], steps, labels] = await Promise.all([
		decorate(db, journeyId, [row]),
		db.select().from(stepLog).where(eq(stepLog.enrollmentId, enrollmentId)).orderBy(asc(stepLog.at), asc(stepLog.id)),
		labelsByVersion(db, journeyId, [row.version])
	]);
	const names = labels.get(row.version) ?? new Map<string, string>();
	return {
		enrollment: enrollment!,
		steps: steps.map((s) => ({ ...s, stepLabel: names.get(s.nodeId) ?? s.nodeId })),
		labels: Object.fromEntries(names)
	};
}

/** The enrollments still running, for "stop and end everyone inside". */
export async function activeEnrollmentIds(db: Db, journeyId: string): Promise<string[]> {
	const rows = await db
		.select({ id: enrollments.id })
		.from(enrollments)
		.where(and(eq(enrollments.journeyId, journeyId), eq(enrollments.status, 'active')));
	return rows.map((r) => r.id);
}
