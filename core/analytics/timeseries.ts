import { asc, inArray, and, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { analyticsStepDaily } from '../db/schema/analytics';
import { rollupWhere, type RollupSum, type Scope } from './scope';

export interface Kpis {
	entered: number;
	active: number;
	converted: number;
	conversionRate: number | null;
	revenue: number;
}

export interface DayPoint {
	/** UTC day customers entered (YYYY-MM-DD). */
	day: string;
	entered: number;
	/** Of those who entered that day, how many converted (so far). */
	converted: number;
	revenue: number;
}

function triggerKeys(scope: Scope): Set<string> {
	return new Set(scope.versions.flatMap((v) => v.definition.nodes.filter((n) => n.type === 'trigger').map((n) => `${v.version}\n${n.id}`)));
}

/** Headline figures: entered = first visits of the trigger, active = enrollments in a step now, conversions with revenue. */
export function buildKpis(scope: Scope, sums: readonly RollupSum[]): Kpis {
	const triggers = triggerKeys(scope);
	let entered = 0,
		active = 0,
		converted = 0,
		revenue = 0;
	for (const s of sums) {
		if (s.metric === 'entered' && triggers.has(`${s.version}\n${s.nodeId}`)) entered += s.customers;
		if (s.metric === 'here') active += s.customers;
		if (s.metric === 'converted') {
			converted += s.customers;
			revenue += s.amount;
		}
	}
	return { entered, active, converted, conversionRate: entered > 0 ? converted / entered : null, revenue: Math.round(revenue * 100) / 100 };
}

/** Entered and converted per entry day (cohorts), every day of the range present (zeros included). */
export async function dailySeries(db: Db, scope: Scope): Promise<DayPoint[]> {
	const t = analyticsStepDaily;
	const rows = await db
		.select({
			day: t.day,
			version: t.version,
			nodeId: t.nodeId,
			metric: t.metric,
			customers: sql<string>`sum(${t.customers})`,
			amount: sql<string>`sum(${t.amount})`
		})
		.from(t)
		.where(and(rollupWhere(scope), inArray(t.metric, ['entered', 'converted'])))
		.groupBy(t.day, t.version, t.nodeId, t.metric)
		.orderBy(asc(t.day));
	const triggers = triggerKeys(scope);
	const byDay = new Map<string, DayPoint>();
	for (const r of rows) {
		const p = byDay.get(r.day) ?? { day: r.day, entered: 0, converted: 0, revenue: 0 };
		if (r.metric === 'entered' && triggers.has(`${r.version}\n${r.nodeId}`)) p.entered += Number(r.customers);
		if (r.metric === 'converted') {
			p.converted += Number(r.customers);
			p.revenue += Number(r.amount);
		}
		byDay.set(r.day, p);
	}
	const days = [...byDay.keys()].sort();
	if (days.length === 0) return [];
	const first = scope.filters.from ?? days[0];
	const last = scope.filters.to ?? days.at(-1)!;
	const out: DayPoint[] = [];
	// At most a year of points; a wider range shows its last year.
	const start = Math.max(Date.parse(`${first}T00:00:00Z`), Date.parse(`${last}T00:00:00Z`) - 365 * 86_400_000);
	for (let t0 = start; t0 <= Date.parse(`${last}T00:00:00Z`); t0 += 86_400_000) {
		const day = new Date(t0).toISOString().slice(0, 10);
		out.push(byDay.get(day) ?? { day, entered: 0, converted: 0, revenue: 0 });
	}
	return out;
}

/** Per step and entry day: customers who entered it and, of them, those who converted — the node detail chart. */
export async function nodeDailySeries(db: Db, scope: Scope): Promise<Record<string, { day: string; entered: number; converted: number }[]>> {
	const t = analyticsStepDaily;
	const rows = await db
		.select({ day: t.day, nodeId: t.nodeId, metric: t.metric, customers: sql<string>`sum(${t.customers})` })
		.from(t)
		.where(and(rollupWhere(scope), inArray(t.metric, ['entered', 'reached_converted'])))
		.groupBy(t.day, t.nodeId, t.metric)
		.orderBy(asc(t.day));
	const out: Record<string, { day: string; entered: number; converted: number }[]> = {};
	for (const r of rows) {
		const series = (out[r.nodeId] ??= []);
		let point = series.at(-1);
		if (!point || point.day !== r.day) series.push((point = { day: r.day, entered: 0, converted: 0 }));
		if (r.metric === 'entered') point.entered += Number(r.customers);
		else point.converted += Number(r.customers);
	}
	return out;
}
