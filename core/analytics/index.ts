import type { Db } from '../db/client';
import { buildAb, type AbResult } from './ab';
import { engagement, type EngagementRow } from './engagement';
import type { AnalyticsFilters } from './filters';
import { buildFunnel, type EdgeFigures, type NodeFigures } from './funnel';
import { pathCounts, pathFunnel, type PathFunnelStep, type PathRow } from './paths';
import { loadScope, rollupSums, type Scope } from './scope';
import { buildKpis, dailySeries, nodeDailySeries, type DayPoint, type Kpis } from './timeseries';

export { AnalyticsFilters, filtersFromParams, CHANNELS } from './filters';
export { AnalyticsNotFound } from './scope';
export { rebuildRollups } from './rebuild';
export type { AbResult, DayPoint, EdgeFigures, EngagementRow, Kpis, NodeFigures, PathFunnelStep, PathRow };

export interface JourneyAnalytics {
	journey: { id: string; name: string };
	filters: AnalyticsFilters;
	versions: number[];
	/** The version whose graph is drawn and whose split defines the A/B table. */
	shownVersion: number | null;
	kpis: Kpis;
	nodes: NodeFigures[];
	edges: EdgeFigures[];
	daily: DayPoint[];
	engagement: { steps: EngagementRow[]; channels: EngagementRow[] };
	ab: AbResult | null;
	/** The variants (and holdout) any version's split can assign, for the filter. */
	variants: { id: string; label: string }[];
	/** Paths of enrollments that have ended: the most travelled (top 100), and the funnel of `filters.steps`. */
	paths: { top: PathRow[]; distinct: number; funnel: PathFunnelStep[] | null };
	/** With `perNodeDaily`: each step's entered and converted customers per entry day. */
	nodeDaily?: Record<string, { day: string; entered: number; converted: number }[]>;
}

/** The canvas figures only: one grouped read of the rollups (what the canvas polls). */
export async function canvasAnalytics(
	db: Db,
	journeyId: string,
	filters: AnalyticsFilters
): Promise<{ scope: Scope; nodes: NodeFigures[]; edges: EdgeFigures[] }> {
	const scope = await loadScope(db, journeyId, filters);
	const { nodes, edges } = buildFunnel(scope, await rollupSums(db, scope));
	return { scope, nodes, edges };
}

/** Everything the dashboard shows for one journey under the filters. */
export async function journeyAnalytics(
	db: Db,
	journeyId: string,
	filters: AnalyticsFilters,
	options: { perNodeDaily?: boolean } = {}
): Promise<JourneyAnalytics> {
	const scope = await loadScope(db, journeyId, filters);
	const sums = await rollupSums(db, scope);
	const { nodes, edges } = buildFunnel(scope, sums);
	const [daily, eng, nodeDaily, paths] = await Promise.all([
		dailySeries(db, scope),
		engagement(db, scope, nodes),
		options.perNodeDaily ? nodeDailySeries(db, scope) : undefined,
		pathCounts(db, scope)
	]);
	const variants = new Map<string, string>();
	for (const v of scope.versions) {
		for (const n of v.definition.nodes) {
			if (n.type !== 'randomSplit') continue;
			for (const x of n.variants) if (!variants.has(x.id)) variants.set(x.id, x.label);
			if ((n.holdoutPercent ?? 0) > 0) variants.set('holdout', 'Holdout');
		}
	}
	return {
		journey: { id: scope.journeyId, name: scope.name },
		filters,
		versions: scope.allVersions,
		shownVersion: scope.shown?.version ?? null,
		kpis: buildKpis(scope, sums),
		nodes,
		edges,
		daily,
		engagement: eng,
		ab: buildAb(scope, sums),
		variants: [...variants].map(([id, label]) => ({ id, label })),
		paths: { top: paths.slice(0, 100), distinct: paths.length, funnel: filters.steps && filters.steps.length > 0 ? pathFunnel(paths, filters.steps) : null },
		...(nodeDaily ? { nodeDaily } : {})
	};
}
