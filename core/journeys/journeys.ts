import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, ilike, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { enrollments, journeys, type Journey, type JourneyStatus } from '../db/schema/journeys';
import { adToStoreJourney } from '../graph/examples';
import { splitLayout } from '../graph/layout';
import { blankDefinition } from './blank';
import { JourneyError, journeyNotFound } from './errors';
import { CreateJourneyInput, UpdateJourneyInput, type ListJourneysQuery } from './input';
import { validateDefinition, type DraftValidation } from './validation';

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/** A row of the journeys list: no draft (it can be large), plus how many customers are in and converted. */
export type JourneySummary = Omit<Journey, 'draft' | 'layout'> & { activeCount: number; convertedCount: number };

export type JourneyWithValidation = { journey: Journey; validation: DraftValidation };

function startingDraft(input: CreateJourneyInput): unknown {
	if (input.definition !== undefined) return input.definition;
	// A copy: the template is a shared constant and drafts are edited.
	return input.template === 'adToStore' ? structuredClone(adToStoreJourney) : blankDefinition();
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
 * Counted per listed journey through the (journey_id, status) index, rather than over every enrollment. Names
 * are spelled out: drizzle leaves columns unqualified in a single-table select, which inside the subquery
 * would compare enrollments with themselves.
 */
const countWithStatus = (status: 'active' | 'converted') =>
	sql<number>`(select count(*)::int from ${enrollments} e where e.journey_id = "journeys"."id" and e.status = ${status})`;

const sortColumns = { name: journeys.name, status: journeys.status, createdAt: journeys.createdAt, updatedAt: journeys.updatedAt } as const;

export async function listJourneys(db: Db, query: ListJourneysQuery): Promise<Page<JourneySummary>> {
	const filters: SQL[] = [];
	if (query.status) filters.push(eq(journeys.status, query.status as JourneyStatus));
	if (query.q) filters.push(ilike(journeys.name, `%${query.q.replace(/[\\%_]/g, '\\$&')}%`));
	const where = filters.length ? and(...filters) : undefined;
	const order = query.dir === 'asc' ? asc(sortColumns[query.sort]) : desc(sortColumns[query.sort]);
	const [items, [counted]] = await Promise.all([
		db
			.select({
				id: journeys.id, name: journeys.name, description: journeys.description, status: journeys.status,
				liveVersion: journeys.liveVersion, revision: journeys.revision, createdAt: journeys.createdAt, updatedAt: journeys.updatedAt,
				activeCount: countWithStatus('active'), convertedCount: countWithStatus('converted')
			})
			.from(journeys)
			.where(where)
			// The id breaks ties so that pages never repeat or skip a row.
			.orderBy(order, asc(journeys.id))
			.limit(query.pageSize)
			.offset((query.page - 1) * query.pageSize),
		db.select({ total: sql<number>`count(*)::int` }).from(journeys).where(where)
	]);
	return { items, total: counted?.total ?? 0, page: query.page, pageSize: query.pageSize };
}
