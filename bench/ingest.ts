/**
 * Ingest benchmark (`npm run bench:ingest`): events/s and p50/p99 latency of `ingestMessages` (validation,
 * identity resolution, profile update, segments, the commit) for single events and batches of 100, on PGlite
 * and on PostgreSQL (`BENCH_DATABASE_URL`, else `TEST_DATABASE_URL`: a server where we may create databases),
 * each beside a raw INSERT of the same rows into `events` measured in the same run. The ratio ours ÷ raw is
 * the headline. Also over HTTP to the built app (`BENCH_HTTP=0` skips it). Prints a table; writes no files.
 * See bench/README.md.
 */
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Db } from '../core/db/client';
import { customers } from '../core/db/schema/customers';
import { events } from '../core/db/schema/events';
import { eventRow, type EventInsert } from '../core/ingest/event';
import { ingestMessages } from '../core/ingest/ingest';
import { eventTime } from '../core/ingest/timestamp';
import { validateMessages } from '../core/ingest/validate';
import { rowsOf } from '../core/identity/tx';
import { startBenchApp, type BenchApp } from './lib/app';
import { undoOnSignals } from './lib/cleanup';
import { openPgliteBench, openPostgresBench, type BenchDb } from './lib/db';
import { eventsPerSecond, formatTable, ratioText, type CaseResult, type Sample } from './lib/stats';
import { defaultWorkload, makePeople, makeStream, type WorkloadMessage } from './lib/workload';

const root = resolve(import.meta.dirname, '..');

/**
 * Sizes and time caps (the measured calls of a case stop at its cap): the whole run stays well under two
 * minutes per database on two cores.
 */
const PLAN = {
	/** Messages stored before the first case, untimed (also the warm-up of the process and the database). */
	preload: 1_000,
	batchSize: 100,
	/** `block`: calls of one side before the other side takes its turn. */
	single: { warmup: 50, calls: 1_000, block: 25, capSeconds: 12 },
	batch: { warmup: 2, calls: 40, block: 1, capSeconds: 15 }
} as const;

type Path = 'core' | 'http';
type Shape = 'single' | 'batch';
type CaseSpec = { name: string; path: Path; shape: Shape };

const CASES: CaseSpec[] = [
	{ name: 'ingestMessages, 1 event', path: 'core', shape: 'single' },
	{ name: 'HTTP /api/v1/{track,identify}, 1 event', path: 'http', shape: 'single' },
	{ name: `ingestMessages, batch of ${PLAN.batchSize}`, path: 'core', shape: 'batch' },
	{ name: `HTTP /api/v1/batch, ${PLAN.batchSize} events`, path: 'http', shape: 'batch' }
];

type Call = () => Promise<unknown>;

/**
 * Our calls and the raw INSERT's, warm-up untimed, then one call at a time in alternating blocks, so both sides
 * see the same machine (load on a shared machine drifts over seconds). Stops once our calls have taken the cap;
 * the raw side always runs exactly as many calls. Throughput is events ÷ the time spent in that side's calls.
 */
async function timePair(
	ours: readonly Call[],
	raw: readonly Call[],
	o: { warmup: number; block: number; capSeconds: number; perCall: number }
): Promise<{ ours: Sample; raw: Sample }> {
	for (const call of ours.slice(0, o.warmup)) await call();
	for (const call of raw.slice(0, o.warmup)) await call();
	const timed = async (call: Call, into: number[]) => {
		const t0 = performance.now();
		await call();
		const ms = performance.now() - t0;
		into.push(ms);
		return ms;
	};
	const oursMs: number[] = [];
	const rawMs: number[] = [];
	let spent = 0;
	let at = o.warmup;
	while (at < ours.length && spent < o.capSeconds * 1000) {
		const end = Math.min(ours.length, at + o.block);
		for (let i = at; i < end && spent < o.capSeconds * 1000; i++) spent += await timed(ours[i]!, oursMs);
		for (let i = at; i < o.warmup + oursMs.length; i++) await timed(raw[i]!, rawMs);
		at = o.warmup + oursMs.length;
	}
	const sample = (latenciesMs: number[]): Sample => ({
		events: latenciesMs.length * o.perCall,
		seconds: latenciesMs.reduce((x, y) => x + y, 0) / 1000,
		latenciesMs,
		capped: at < ours.length
	});
	return { ours: sample(oursMs), raw: sample(rawMs) };
}

function chunks<T>(list: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
	return out;
}

/** The `events` rows ingest would write for these messages, each under its person's fixed profile id. */
function rawRows(stream: readonly WorkloadMessage[], customerIds: readonly string[], receivedAt: Date): EventInsert[] {
	const messages = validateMessages(stream.map((m) => m.body));
	return messages.map((m, i) =>
		eventRow(m, { eventId: crypto.randomUUID(), messageId: m.messageId!, customerId: customerIds[stream[i]!.person]! }, eventTime(m, receivedAt), receivedAt)
	);
}

/** The stream cut into the preload and one slice per case (each case ingests fresh messages). */
type Slice = { bodies: Record<string, unknown>[]; rows: EventInsert[] };
/** `customerIds`: the people the raw rows name, inserted first on the raw side (events reference their customer). */
type Workload = { preload: Slice; cases: Slice[]; customerIds: string[] };

function makeWorkload(): { workload: Workload; total: number; identifyShare: number } {
	const people = makePeople(defaultWorkload);
	const sizes = CASES.map((c) => (c.shape === 'single' ? PLAN.single.warmup + PLAN.single.calls : (PLAN.batch.warmup + PLAN.batch.calls) * PLAN.batchSize));
	const total = PLAN.preload + sizes.reduce((a, b) => a + b, 0);
	const stream = makeStream(defaultWorkload, people, total);
	const customerIds = people.map((p) => p.customerId);
	const rows = rawRows(stream, customerIds, new Date());
	const bodies = stream.map((m) => m.body);
	let at = PLAN.preload;
	const cases = sizes.map((n) => {
		const slice = { bodies: bodies.slice(at, at + n), rows: rows.slice(at, at + n) };
		at += n;
		return slice;
	});
	const identifyShare = stream.filter((m) => m.body.type === 'identify').length / total;
	return { workload: { preload: { bodies: bodies.slice(0, PLAN.preload), rows: rows.slice(0, PLAN.preload) }, cases, customerIds }, total, identifyShare };
}

/** Our side of a case: ingestMessages directly, or HTTP requests to the app (write keys round-robin). */
function ourCalls(db: Db, spec: CaseSpec, slice: Slice, http: { app: BenchApp; keys: string[] } | undefined): Call[] {
	const groups = spec.shape === 'single' ? slice.bodies.map((b) => [b]) : chunks(slice.bodies, PLAN.batchSize);
	if (spec.path === 'core') return groups.map((msgs) => () => ingestMessages(db, msgs));
	if (!http) throw new Error('HTTP case without an app');
	return groups.map((msgs, i) => async () => {
		const path = spec.shape === 'single' ? `/api/v1/${String(msgs[0]!.type)}` : '/api/v1/batch';
		const res = await fetch(`${http.app.url}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: http.keys[i % http.keys.length]! },
			body: JSON.stringify(spec.shape === 'single' ? msgs[0] : { batch: msgs })
		});
		const text = await res.text();
		if (res.status !== 200) throw new Error(`POST ${path} answered ${res.status}: ${text.slice(0, 300)}`);
	});
}

/** What ingest left in the store: how many people, how many merges it took. */
async function storeSummary(db: Db): Promise<string> {
	const [row] = rowsOf<{ events: number; live: number; merged: number; identities: number }>(
		await db.execute(sql`select
			(select count(*)::int from events) as events,
			(select count(*)::int from customers where merged_into is null) as live,
			(select count(*)::int from merges) as merged,
			(select count(*)::int from identities) as identities`)
	);
	return row ? `${row.events} events, ${row.live} live profiles, ${row.identities} identities, ${row.merged} merges` : '';
}

/**
 * One database kind: `ours` takes the messages through ingest, `raw` (a second, identical database) takes the
 * same rows by plain INSERT, case by case in the same order, so both tables are the same size at every step.
 */
async function benchDatabase(ours: BenchDb, raw: BenchDb, w: Workload, app: BenchApp | undefined, log: (m: string) => void): Promise<CaseResult[]> {
	const startedAt = performance.now();
	log(`\n${await ours.describe()}`);
	const http = app ? { app, keys: await app.use(ours.handle) } : undefined;
	const insert =
		(rows: EventInsert[]): Call =>
		() =>
			raw.handle.db.insert(events).values(rows);
	for (const msgs of chunks(w.preload.bodies, PLAN.batchSize)) await ingestMessages(ours.handle.db, msgs);
	for (const ids of chunks(w.customerIds, 1000)) await raw.handle.db.insert(customers).values(ids.map((id) => ({ id })));
	for (const rows of chunks(w.preload.rows, PLAN.batchSize)) await insert(rows)();
	log(`  preloaded ${w.preload.bodies.length} messages: ${await storeSummary(ours.handle.db)}`);

	const results: CaseResult[] = [];
	for (const [i, spec] of CASES.entries()) {
		if (spec.path === 'http' && !http) continue;
		const slice = w.cases[i]!;
		const plan = spec.shape === 'single' ? PLAN.single : PLAN.batch;
		const perCall = spec.shape === 'single' ? 1 : PLAN.batchSize;
		// The raw side inserts exactly the rows ours stored (warm-up included, so the tables stay alike).
		const rawCalls = (spec.shape === 'single' ? slice.rows.map((r) => [r]) : chunks(slice.rows, PLAN.batchSize)).map(insert);
		const { ours: oursSample, raw: rawSample } = await timePair(ourCalls(ours.handle.db, spec, slice, http), rawCalls, { ...plan, perCall });
		const result = { database: ours.label, name: spec.name, ours: oursSample, raw: rawSample };
		results.push(result);
		log(
			`  ${spec.name}: ${Math.round(eventsPerSecond(oursSample)).toLocaleString('en-US')} events/s, raw INSERT ` +
				`${Math.round(eventsPerSecond(rawSample)).toLocaleString('en-US')} events/s → ${ratioText(result)}${oursSample.capped ? ' (stopped at the time cap)' : ''}`
		);
	}
	log(`  store at the end: ${await storeSummary(ours.handle.db)}`);
	if (app) log(`  HTTP requests whose routing the app deferred to the sweep (no Temporal) so far: ${app.routingDeferred()}`);
	log(`  ${ours.label} done in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
	return results;
}

/** Opens a pair of fresh databases (ours, raw), runs the cases, and always removes both. */
async function withPair(open: () => Promise<BenchDb>, run: (ours: BenchDb, raw: BenchDb) => Promise<CaseResult[]>): Promise<CaseResult[]> {
	const opened: BenchDb[] = [];
	try {
		opened.push(await open());
		opened.push(await open());
		return await run(opened[0]!, opened[1]!);
	} finally {
		await Promise.allSettled(opened.map((db) => db.close()));
	}
}

export async function runIngestBench(log: (m: string) => void = console.log): Promise<CaseResult[]> {
	const pgUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
	const { workload, total, identifyShare } = makeWorkload();
	const o = defaultWorkload;
	const pct = (x: number) => `${Math.round(x * 100)}%`;
	log('Ingest benchmark');
	log(
		`  workload: ${o.customers.toLocaleString('en-US')} people (${pct(o.accountShare)} with a userId, all with an e-mail, ${pct(o.secondDeviceShare)} on two devices), ` +
			`${total.toLocaleString('en-US')} Segment messages (${pct(identifyShare)} identify, the rest track with ~10 properties and analytics.js context); no segments defined`
	);
	log(
		`  ${PLAN.preload.toLocaleString('en-US')} messages preloaded untimed; per case fresh messages, warm-up, then one call at a time, ours and raw in alternating blocks ` +
			`(1 event: up to ${PLAN.single.calls} calls, ${PLAN.single.capSeconds} s cap; batches of ${PLAN.batchSize}: up to ${PLAN.batch.calls}, ${PLAN.batch.capSeconds} s cap)`
	);
	log(
		'  raw INSERT: the same rows prepared beforehand, one drizzle insert(events).values(rows) per call (autocommit), into a second database of the same kind'
	);
	log(`  machine: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? '?'}`);

	const stopUndoOnSignals = undoOnSignals();
	let app: BenchApp | undefined;
	if (process.env.BENCH_HTTP === '0') log('  HTTP: skipped (BENCH_HTTP=0)');
	else {
		try {
			app = await startBenchApp(root, (m) => log(`  [web] ${m}`));
			log(`  HTTP: the built app (a copy of build/) in this process at ${app.url}, sequential requests (keep-alive); no Temporal, so routing is deferred`);
		} catch (err) {
			log(`  HTTP: skipped, the app could not start: ${err instanceof Error ? err.message : String(err)}`);
		}
	}

	const results: CaseResult[] = [];
	try {
		results.push(...(await withPair(openPgliteBench, (ours, raw) => benchDatabase(ours, raw, workload, app, log))));
		if (pgUrl)
			results.push(
				...(await withPair(
					() => openPostgresBench(pgUrl),
					(ours, raw) => benchDatabase(ours, raw, workload, app, log)
				))
			);
	} finally {
		await app?.close();
		stopUndoOnSignals();
	}

	log('');
	log(formatTable(results));
	log('');
	log("p50/p99 per call (one event, or one batch). ours/raw: our events/s ÷ the raw INSERT's, same rows, same database kind.");
	if (results.some((r) => r.ours.capped)) log('* stopped at the time cap before all planned calls.');
	if (!pgUrl) log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to a server where the benchmark may create a database).');
	for (const database of new Set(results.map((r) => r.database))) {
		const core = results.filter((r) => r.database === database && r.name.startsWith('ingestMessages'));
		log(
			`Headline, ${database}: ingestMessages runs at ${core.map((r) => `${ratioText(r)} of raw INSERT throughput (${r.name.replace('ingestMessages, ', '')})`).join(', ')}`
		);
	}
	return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
	runIngestBench().catch((err: unknown) => {
		console.error(err);
		process.exit(1);
	});
}
