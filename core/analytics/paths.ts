import { and, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { analyticsPaths } from '../db/schema/analytics';
import type { Scope } from './scope';

export interface PathRow {
	/** Node ids in the order visited ('…' ends a path cut after 40 steps). */
	steps: string[];
	customers: number;
	converted: number;
}

export interface PathFunnelStep {
	nodeId: string;
	/** Ended enrollments that passed every chosen step up to this one, in order. */
	customers: number;
	/** customers ÷ the previous step's customers. */
	fromPrevious: number | null;
	/** Lost since the previous step. */
	dropOff: number;
}

function where(scope: Scope) {
	const f = scope.filters;
	const t = analyticsPaths;
	return and(
		eq(t.journeyId, scope.journeyId),
		f.version === 'all' ? undefined : eq(t.version, f.version),
		f.variant ? eq(t.variant, f.variant) : undefined,
		f.from ? gte(t.day, f.from) : undefined,
		f.to ? lte(t.day, f.to) : undefined
	);
}

/** Every distinct path of the enrollments that have ended (in scope), most travelled first. */
export async function pathCounts(db: Db, scope: Scope): Promise<PathRow[]> {
	const t = analyticsPaths;
	const rows = await db
		.select({ path: t.path, customers: sql<string>`sum(${t.customers})`, converted: sql<string>`sum(${t.converted})` })
		.from(t)
		.where(where(scope))
		.groupBy(t.path)
		.orderBy(desc(sql`sum(${t.customers})`), t.path);
	return rows.map((r) => ({ steps: JSON.parse(r.path) as string[], customers: Number(r.customers), converted: Number(r.converted) }));
}

/** How far along `chosen` (an ordered list of steps, other steps allowed in between) one path gets. */
export function matchedPrefix(path: readonly string[], chosen: readonly string[]): number {
	let i = 0;
	for (const step of path) if (i < chosen.length && step === chosen[i]) i++;
	return i;
}

/** The funnel of a chosen ordered list of steps over the paths, with the drop-off between consecutive steps. */
export function pathFunnel(paths: readonly PathRow[], chosen: readonly string[]): PathFunnelStep[] {
	const reached = chosen.map(() => 0);
	for (const p of paths) {
		const k = matchedPrefix(p.steps, chosen);
		for (let i = 0; i < k; i++) reached[i]! += p.customers;
	}
	return chosen.map((nodeId, i) => {
		const prev = i === 0 ? null : reached[i - 1]!;
		return {
			nodeId,
			customers: reached[i]!,
			fromPrevious: prev === null ? null : prev > 0 ? reached[i]! / prev : null,
			dropOff: prev === null ? 0 : prev - reached[i]!
		};
	});
}
