/**
 * Analytics benchmark (`npm run bench:analytics`): the canvas query (`canvasAnalytics`: the journey's versions
 * and one grouped read of the rollups, turned into per-node and per-edge figures) and the whole dashboard
 * (`journeyAnalytics`, adding engagement from its trigger-kept rollup), p50/p95, beside `SELECT count(*)`
 * of the step log in the same run as the floor, on PGlite and on PostgreSQL (`BENCH_DATABASE_URL`, else
 * `TEST_DATABASE_URL`). Sizes: `BENCH_ANALYTICS_ROWS` (default 1000000,10000000; PGlite runs the sizes up to
 * `BENCH_ANALYTICS_PGLITE_MAX`, default 1000000). See bench/README.md.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../core/db/client';
import { AnalyticsFilters, canvasAnalytics, journeyAnalytics } from '../core/analytics/index';
import { rowsOf } from '../core/db/rows';
import { undoOnSignals } from './lib/cleanup';
import { openPgliteBench, openPostgresBench, type BenchDb } from './lib/db';
import { percentile } from './lib/stats';

const JOURNEY = 'bench-journey';
/** Step rows per enrollment in the seeded journey (trigger, e-mail, split, then SMS or wait, then the end). */
const STEPS_PER_ENROLLMENT = 7;
const DAYS = 180;

const definition = {
	schemaVersion: 1,
	nodes: [
		{ id: 'trigger', type: 'trigger', entry: { kind: 'event', event: 'signed_up' } },
		{ id: 'email', type: 'sendEmail', subject: 'Hi', text: 'Hello' },
		{
			id: 'split',
			type: 'randomSplit',
			variants: [
				{ id: 'a', label: 'SMS', weight: 1 },
				{ id: 'b', label: 'Wait', weight: 1 }
			],
			holdoutPercent: 20
		},
		{ id: 'sms', type: 'sendSms', body: 'Hi' },
		{ id: 'wait', type: 'wait', mode: 'duration', duration: { amount: 1, unit: 'days' } },
		{ id: 'exit', type: 'exit' }
	],
	edges: [
		{ id: 'e1', source: 'trigger', target: 'email' },
		{ id: 'e2', source: 'email', target: 'split' },
		{ id: 'e3', source: 'split', target: 'sms', sourceHandle: 'a' },
		{ id: 'e4', source: 'split', target: 'wait', sourceHandle: 'b' },
		{ id: 'e5', source: 'sms', target: 'exit' },
		{ id: 'e6', source: 'wait', target: 'exit' }
	],
	settings: { reentry: { mode: 'never' }, exitCriteria: [], goal: { events: [{ event: 'order_completed' }], attributionWindow: { amount: 7, unit: 'days' } } }
};

/**
 * Seeds `steps` step-log rows in SQL (generate_series; a client round trip per row would measure the client):
 * enrollments spread over 180 entry days, 2 versions, variants a/b/holdout, about 1 in 10 still active; one
 * e-mail per enrollment (plus an SMS for variant a) with 1–3 provider events each. The rollups are then built
 * by one aggregate over the seeded rows — what recordProgress maintains row by row (the integration tests hold
 * that equivalence for the real write path); their size, not their origin, is what the read cost depends on.
 */
async function seed(db0: Db, steps: number, log: (s: string) => void): Promise<void> {
	// Seeding statements run for minutes at 10 M rows: each in a transaction without the product's statement timeout.
	const db = {
		execute: (q: ReturnType<typeof sql>) =>
			db0.transaction(async (tx) => {
				await tx.execute(sql`set local statement_timeout = 0`);
				return tx.execute(q);
			})
	};
	const enrollments = Math.ceil(steps / STEPS_PER_ENROLLMENT);
	const t0 = Date.now();
	await db.execute(
		sql`insert into journeys (id, name, status, draft, live_version) values (${JOURNEY}, 'Bench journey', 'active', ${JSON.stringify(definition)}::jsonb, 2)`
	);
	await db.execute(
		sql`insert into journey_versions (journey_id, version, definition) values (${JOURNEY}, 1, ${JSON.stringify(definition)}::jsonb), (${JOURNEY}, 2, ${JSON.stringify(definition)}::jsonb)`
	);
	await db.execute(sql`insert into customers (id) select 'c' || g from generate_series(1, ${enrollments}) g`);
	await db.execute(sql`
		insert into enrollments (id, journey_id, version, customer_id, n, status, current_node_id, variant, entered_at)
		select 'e' || g, ${JOURNEY}, 1 + (g % 2), 'c' || g, 1,
			case when g % 10 = 0 then 'active' when g % 10 in (1, 2, 3) then 'converted' else 'completed' end,
			case when g % 10 = 0 then 'email' when g % 5 = 4 then 'split' else 'exit' end,
			case g % 5 when 0 then 'a' when 1 then 'a' when 2 then 'b' when 3 then 'b' else 'holdout' end,
			timestamptz '2026-01-01' + ((g % ${DAYS}) || ' days')::interval + ((g % 1440) || ' minutes')::interval
		from generate_series(1, ${enrollments}) g`);
	log(`  enrollments ${enrollments.toLocaleString('en-US')} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
	await db.execute(sql`
		insert into step_log (enrollment_id, journey_id, version, customer_id, node_id, visit, kind, branch, at)
		select 'e' || g, ${JOURNEY}, 1 + (g % 2), 'c' || g,
			case k when 1 then 'trigger' when 2 then 'email' when 3 then 'email' when 4 then 'split' when 5 then 'split'
				else case g % 5 when 4 then 'split' when 0 then 'sms' when 1 then 'sms' else 'wait' end end,
			1,
			case k when 1 then 'entered' when 2 then 'entered' when 3 then 'completed' when 4 then 'entered' when 5 then 'branch'
				when 6 then case g % 5 when 4 then 'exited' else 'entered' end else case g % 5 when 4 then 'converted' else 'completed' end end,
			case when k = 5 then case g % 5 when 0 then 'a' when 1 then 'a' when 2 then 'b' when 3 then 'b' else 'holdout' end end,
			timestamptz '2026-01-01' + ((g % ${DAYS}) || ' days')::interval + (k * (g % 97 + 1) || ' minutes')::interval
		from generate_series(1, ${enrollments}) g cross join generate_series(1, ${STEPS_PER_ENROLLMENT}) k
		where (g - 1) * ${STEPS_PER_ENROLLMENT} + k <= ${steps}`);
	log(`  step_log ${steps.toLocaleString('en-US')} rows after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
	await db.execute(sql`
		insert into messages (id, idempotency_key, channel, provider, customer_id, journey_id, enrollment_id, node_id, "to", body, status, sent_at)
		select 'm' || g || '-' || n, 'm' || g || '-' || n, case n when 1 then 'email' else 'sms' end, 'outbox', 'c' || g, ${JOURNEY}, 'e' || g,
			case n when 1 then 'email' else 'sms' end, 'x', 'b',
			case g % 6 when 0 then 'clicked' when 1 then 'opened' when 2 then 'delivered' when 3 then 'bounced' when 4 then 'sent' else 'spam' end,
			timestamptz '2026-01-01' + ((g % ${DAYS}) || ' days')::interval
		from generate_series(1, ${enrollments}) g cross join generate_series(1, 2) n
		where n = 1 or g % 5 in (0, 1)`);
	await db.execute(sql`
		insert into message_events (message_id, status, provider_event_id, at)
		select m.id, s.status, m.id || ':' || s.i, m.sent_at
		from messages m cross join lateral (
			select i, (array['delivered', 'opened', 'clicked'])[i] as status from generate_series(1, 1 + (hashtext(m.id) & 1) + (case when m.status in ('clicked', 'spam') then 1 else 0 end)) i
		) s where m.status not in ('sent', 'bounced')`);
	log(`  messages and events after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
	await db.execute(sql`
		insert into analytics_step_daily (journey_id, version, variant, day, node_id, metric, key, visits, customers)
		select s.journey_id, s.version, case when s.node_id in ('trigger', 'email') and e.status = 'active' then '' else e.variant end, (e.entered_at at time zone 'UTC')::date, s.node_id,
			case s.kind when 'entered' then 'entered' when 'converted' then 'converted' when 'exited' then 'ended' else 'left' end,
			case s.kind when 'branch' then s.branch when 'exited' then 'completed' else '' end,
			count(*), count(*)
		from step_log s join enrollments e on e.id = s.enrollment_id
		group by 1, 2, 3, 4, 5, 6, 7`);
	// Time in step: a histogram row per bucket actually used, as on write.
	await db.execute(sql`
		insert into analytics_step_daily (journey_id, version, variant, day, node_id, metric, key, visits, customers)
		select e.journey_id, e.version, e.variant, (e.entered_at at time zone 'UTC')::date, n.node_id, 'dwell', (10 + (hashtext(e.id) & 31))::text, count(*), count(*)
		from enrollments e cross join (values ('email'), ('split'), ('sms'), ('wait')) n(node_id)
		group by 1, 2, 3, 4, 5, 6, 7
		on conflict do nothing`);
	await db.execute(sql`
		insert into analytics_step_daily (journey_id, version, variant, day, node_id, metric, key, visits, customers)
		select journey_id, version, '', (entered_at at time zone 'UTC')::date, current_node_id, 'here', '', count(*), count(*)
		from enrollments where status = 'active' group by 1, 2, 3, 4, 5, 6, 7`);
	await db.execute(sql`analyze`);
	const [r] = rowsOf<{ n: string }>(await db.execute(sql`select count(*)::text as n from analytics_step_daily`));
	log(`  rollups: ${Number(r?.n).toLocaleString('en-US')} rows; seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

async function time(fn: () => Promise<unknown>, runs: number, warmup = 3): Promise<number[]> {
	for (let i = 0; i < warmup; i++) await fn();
	const out: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		await fn();
		out.push(performance.now() - t);
	}
	return out;
}

type Line = { database: string; rows: number; what: string; p50: number; p95: number; floorP50: number };

async function measure(bench: BenchDb, rows: number, log: (s: string) => void): Promise<Line[]> {
	const db = bench.handle.db;
	log(`${bench.label}, ${rows.toLocaleString('en-US')} step-log rows: seeding…`);
	await seed(db, rows, log);
	const filters = AnalyticsFilters.parse({});
	const floor = await time(() => db.execute(sql`select count(*) from step_log`), 10, 2);
	const canvas = await time(() => canvasAnalytics(db, JOURNEY, filters), 30);
	const canvasRange = await time(
		() => canvasAnalytics(db, JOURNEY, AnalyticsFilters.parse({ version: 2, variant: 'a', from: '2026-02-01', to: '2026-03-31' })),
		30
	);
	const dashboard = await time(() => journeyAnalytics(db, JOURNEY, filters), 5, 1);
	const f50 = percentile(floor, 50);
	const line = (what: string, xs: number[]): Line => ({ database: bench.label, rows, what, p50: percentile(xs, 50), p95: percentile(xs, 95), floorP50: f50 });
	return [
		line('SELECT count(*) FROM step_log (floor)', floor),
		line('canvas query, all versions', canvas),
		line('canvas query, v2 · variant a · 2 months', canvasRange),
		line('whole dashboard (incl. engagement)', dashboard)
	];
}

function table(lines: Line[]): string {
	const header = ['database', 'step rows', 'query', 'p50 ms', 'p95 ms', 'p50 ÷ count(*) p50'];
	const body = lines.map((l) => [l.database, l.rows.toLocaleString('en-US'), l.what, l.p50.toFixed(1), l.p95.toFixed(1), (l.p50 / l.floorP50).toFixed(3)]);
	const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
	const fmt = (r: string[]) => r.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
	return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...body.map(fmt)].join('\n');
}

async function main(): Promise<void> {
	undoOnSignals();
	const sizes = (process.env.BENCH_ANALYTICS_ROWS ?? '1000000,10000000')
		.split(',')
		.map((s) => Number(s.trim()))
		.filter((n) => n > 0);
	const pgliteMax = Number(process.env.BENCH_ANALYTICS_PGLITE_MAX ?? 1_000_000);
	const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
	const log = (s: string) => console.error(s);
	const lines: Line[] = [];
	const notes: string[] = [];
	for (const rows of sizes) {
		if (pgUrl) {
			const bench = await openPostgresBench(pgUrl);
			notes.push(await bench.describe());
			try {
				const measured = await measure(bench, rows, log);
				lines.push(...measured);
				log(table(measured));
			} finally {
				await bench.close();
			}
		}
		if (rows <= pgliteMax) {
			const bench = await openPgliteBench();
			notes.push(await bench.describe());
			try {
				const measured = await measure(bench, rows, log);
				lines.push(...measured);
				log(table(measured));
			} finally {
				await bench.close();
			}
		}
	}
	if (!pgUrl) notes.push('PostgreSQL skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a server where databases may be created.');
	console.log([...new Set(notes)].join('\n'));
	console.log(table(lines));
}

await main();
