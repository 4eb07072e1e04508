import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, ilike, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { enrollments, journeys, type Journey, type JourneyStatus } from '../db/schema/journeys';
import { splitLayout } from '../graph/layout';
import { templateById } from '../graph/templates/index';
import { blankDefinition } from './blank';
import { JourneyError, journeyNotFound } from './errors';
import { CreateJourneyInput, DuplicateJourneyInput, UpdateJourneyInput, type ListJourneysQuery } from './input';
import { validateDefinition, type DraftValidation } from './validation';

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/**
 * A row of the journeys list: no draft (it can be large), plus its customers: every enrollment (`enteredCount`,
 * re-entries included), those inside now, those converted, and `conversionRate` = converted / entered (null
 * before anyone entered).
 */
export type JourneySummary = Omit<Journey, 'draft' | 'layout'> & {
	enteredCount: number;
	activeCount: number;
	convertedCount: number;
	conversionRate: number | null;
};

export type JourneyWithValidation = { journey: Journey; validation: DraftValidation };

function startingDraft(input: CreateJourneyInput): unknown {
	if (input.definition !== undefined) return input.definition;
	// Each template builds a fresh copy: drafts are edited, templates are shared.
	return input.template ? (templateById(input.template)?.build() ?? blankDefinition()) : blankDefinition();
}

export async function createJourney(db: Db, raw: CreateJourneyInput): Promise<JourneyWithValidation> {
	// Parsed here too, so callers other than the API (seeds, tests) get the same trimming and limits.
	const input = CreateJourneyInput.parse(raw);
	const [journey] = await db
		.insert(journeys)
		.values({ id: randomUUID(), name: input.name, description: input.description ?? '', ...splitLayout(startingDraft(input)) })
		.returning();
	return { journey: journey!, validation: await validateDefinition(db, journey!.draft) };
}

/** Room left for " (copy)" within the 200-character name limit. */
const copyName = (name: string) => `${name.slice(0, 200 - ' (copy)'.length)} (copy)`;

/**
 * A new draft journey with the same draft, layout and description, named "<name> (copy)" unless named. Versions,
 * status and customers stay with the original; the copy is never archived.
 */
export async function duplicateJourney(db: Db, id: string, raw: DuplicateJourneyInput = {}): Promise<JourneyWithValidation> {
	const input = DuplicateJourneyInput.parse(raw);
	const source = await getJourney(db, id);
	const [journey] = await db
		.insert(journeys)
		.values({ id: randomUUID(), name: input.name ?? copyName(source.name), description: source.description, draft: source.draft, layout: source.layout })
		.returning();
	return { journey: journey!, validation: await validateDefinition(db, journey!.draft) };
}

export async function getJourney(db: Db, id: string): Promise<Journey> {
	const [row] = await db.select().from(journeys).where(eq(journeys.id, id));
	if (!row) throw journeyNotFound(id);
	return row;
}

/** The journey and what stands between its draft and publishing. */
export async function getJourneyWithValidation(db: Db, id: string): Promise<JourneyWithValidation> {
	const journey = await getJourney(db, id);
	return { journey, validation: await validateDefinition(db, journey.draft) };
}

export async function validateDraft(db: Db, id: string): Promise<DraftValidation> {
	return validateDefinition(db, (await getJourney(db, id)).draft);
}

/**
 * Saves name, description, draft and/or layout. Any JSON is accepted as a draft (work in progress); its problems
 * are returned alongside so the builder can show them while the marketer keeps editing. Positions found inside
 * the draft's nodes move to the layout. With `baseRevision`, a save over someone else's newer save is refused.
 */
export async function updateDraft(db: Db, id: string, raw: UpdateJourneyInput): Promise<JourneyWithValidation> {
	const input = UpdateJourneyInput.parse(raw);
	const patch: Partial<typeof journeys.$inferInsert> = { updatedAt: new Date(), revision: sql`${journeys.revision} + 1` as unknown as number };
	if (input.name !== undefined) patch.name = input.name;
	if (input.description !== undefined) patch.description = input.description;
	if (input.draft !== undefined || input.layout !== undefined) {
		// `null` is JSON too, but the column is NOT NULL and an empty draft is meaningless: store the blank graph.
		const split = splitLayout(input.draft === undefined ? undefined : (input.draft ?? blankDefinition()), input.layout);
		if (input.draft !== undefined) patch.draft = split.draft;
		if (input.layout !== undefined || Object.keys(split.layout.nodes).length > 0) patch.layout = split.layout;
	}
	const where = input.baseRevision === undefined ? eq(journeys.id, id) : and(eq(journeys.id, id), eq(journeys.revision, input.baseRevision));
	const [row] = await db.update(journeys).set(patch).where(where).returning();
	if (!row) {
		const current = await getJourney(db, id);
		throw new JourneyError(
			'draft_conflict',
			`This draft was changed elsewhere (revision ${current.revision}, you started from ${input.baseRevision}). Reload to see the other changes; yours were not saved.`,
			undefined,
			{ revision: current.revision }
		);
	}
	return { journey: row, validation: await validateDefinition(db, row.draft) };
}

/**
 * Counted per listed journey (the page, after its limit) by index-only scans of the (journey_id, status) index,
 * rather than over every enrollment: the journey's prefix for `entered`, one (journey, status) range each for the
 * others. A lateral join with filtered counts measured slower (it counted every journey before the limit). Names
 * are spelled out: drizzle leaves columns unqualified in a single-table select, which inside the subquery
 * would compare enrollments with themselves.
 */
const countEnrollments = (status?: 'active' | 'converted') =>
	sql<number>`(select count(*)::int from ${enrollments} e where e.journey_id = "journeys"."id"${status ? sql` and e.status = ${status}` : sql``})`;

const archivedFilter = { exclude: isNull(journeys.archivedAt), only: isNotNull(journeys.archivedAt), include: undefined } as const;

const sortColumns = { name: journeys.name, status: journeys.status, createdAt: journeys.createdAt, updatedAt: journeys.updatedAt } as const;

export async function listJourneys(db: Db, query: ListJourneysQuery): Promise<Page<JourneySummary>> {
	const filters: SQL[] = [];
	const archived = archivedFilter[query.archived];
	if (archived) filters.push(archived);
	if (query.status) filters.push(eq(journeys.status, query.status as JourneyStatus));
	if (query.q) filters.push(ilike(journeys.name, `%${query.q.replace(/[\\%_]/g, '\\$&')}%`));
	const where = filters.length ? and(...filters) : undefined;
	const order = query.dir === 'asc' ? asc(sortColumns[query.sort]) : desc(sortColumns[query.sort]);
	const [rows, [counted]] = await Promise.all([
		db
			.select({
				id: journeys.id,
				name: journeys.name,
				description: journeys.description,
				status: journeys.status,
				liveVersion: journeys.liveVersion,
				revision: journeys.revision,
				archivedAt: journeys.archivedAt,
				createdAt: journeys.createdAt,
				updatedAt: journeys.updatedAt,
				enteredCount: countEnrollments(),
				activeCount: countEnrollments('active'),
				convertedCount: countEnrollments('converted')
			})
			.from(journeys)
			.where(where)
			// The id breaks ties so that pages never repeat or skip a row.
			.orderBy(order, asc(journeys.id))
			.limit(query.pageSize)
			.offset((query.page - 1) * query.pageSize),
		db
			.select({ total: sql<number>`count(*)::int` })
			.from(journeys)
			.where(where)
	]);
	const items = rows.map((r) => ({ ...r, conversionRate: r.enteredCount > 0 ? r.convertedCount / r.enteredCount : null }));
	return { items, total: counted?.total ?? 0, page: query.page, pageSize: query.pageSize };
}
