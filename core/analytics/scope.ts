import { and, asc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { analyticsStepDaily } from '../db/schema/analytics';
import { journeys, journeyVersions } from '../db/schema/journeys';
import { JourneyDefinition } from '../graph/definition';
import type { AnalyticsFilters } from './filters';

/** The journey's versions in scope of the filters, with their graphs, and the one the canvas draws. */
export interface Scope {
	journeyId: string;
	name: string;
	filters: AnalyticsFilters;
	versions: { version: number; definition: JourneyDefinition; layout: unknown; publishedAt: Date }[];
	/** The version drawn: the one chosen, else the live one, else the newest. */
	shown: { version: number; definition: JourneyDefinition; layout: unknown } | null;
	allVersions: number[];
}

export class AnalyticsNotFound extends Error {}

export async function loadScope(db: Db, journeyId: string, filters: AnalyticsFilters): Promise<Scope> {
	const [journey] = await db
		.select({ id: journeys.id, name: journeys.name, liveVersion: journeys.liveVersion })
		.from(journeys)
		.where(eq(journeys.id, journeyId));
	if (!journey) throw new AnalyticsNotFound(`journey ${journeyId} not found`);
	const rows = await db
		.select({
			version: journeyVersions.version,
			definition: journeyVersions.definition,
			layout: journeyVersions.layout,
			publishedAt: journeyVersions.publishedAt
		})
		.from(journeyVersions)
		.where(eq(journeyVersions.journeyId, journeyId))
		.orderBy(asc(journeyVersions.version));
	// Published definitions were valid when published; a later schema change must not hide their figures.
	const all = rows.map((r) => {
		const parsed = JourneyDefinition.safeParse(r.definition);
		return { ...r, definition: parsed.success ? parsed.data : (r.definition as JourneyDefinition) };
	});
	const versions = filters.version === 'all' ? all : all.filter((v) => v.version === filters.version);
	if (filters.version !== 'all' && versions.length === 0) throw new AnalyticsNotFound(`journey ${journeyId} has no version ${filters.version}`);
	const shown = versions.find((v) => v.version === journey.liveVersion) ?? versions.at(-1) ?? null;
	return { journeyId, name: journey.name, filters, versions, shown, allVersions: all.map((v) => v.version) };
}

/** The rollup rows' WHERE for a scope: journey, version, variant and entry days — an index range, never a scan. */
export function rollupWhere(scope: Scope): SQL | undefined {
	const f = scope.filters;
	return and(
		eq(analyticsStepDaily.journeyId, scope.journeyId),
		f.version === 'all' ? undefined : eq(analyticsStepDaily.version, f.version),
		f.variant ? eq(analyticsStepDaily.variant, f.variant) : undefined,
		f.from ? gte(analyticsStepDaily.day, f.from) : undefined,
		f.to ? lte(analyticsStepDaily.day, f.to) : undefined
	);
}

export interface RollupSum {
	version: number;
	variant: string;
	nodeId: string;
	metric: string;
	key: string;
	visits: number;
	customers: number;
	amount: number;
}

/** Rollup rows summed over days: the one query behind the canvas, the node table, KPIs and the A/B table. */
export async function rollupSums(db: Db, scope: Scope): Promise<RollupSum[]> {
	const t = analyticsStepDaily;
	const rows = await db
		.select({
			version: t.version,
			variant: t.variant,
			nodeId: t.nodeId,
			metric: t.metric,
			key: t.key,
			visits: sql<string>`sum(${t.visits})`,
			customers: sql<string>`sum(${t.customers})`,
			amount: sql<string>`sum(${t.amount})`
		})
		.from(t)
		.where(rollupWhere(scope))
		.groupBy(t.version, t.variant, t.nodeId, t.metric, t.key);
	return rows.map((r) => ({ ...r, visits: Number(r.visits), customers: Number(r.customers), amount: Number(r.amount) }));
}
