/**
 * Ingest benchmark (`npm run bench:ingest`), on PGlite and on PostgreSQL (`BENCH_DATABASE_URL`, else
 * `TEST_DATABASE_URL`: a server where we may create databases). Two halves, see bench/README.md:
 * - Accept: HTTP `/api/v1/batch` (100 events) and single `/api/v1/track`/`identify` calls to the built app at 1, 16
 *   and 64 concurrent clients, each beside a raw INSERT of the same rows into `events` with the same shape and the
 *   same concurrency (the floor), ratios printed.
 * - Process: the inbox processor's resolved events/s for a mix of 80 % known people, 15 % new, 5 % merges, and the
 *   ingest-to-routed lag while messages arrive at a steady rate (a no-op router marks events routed).
 * Prints tables; writes no files.
 */
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../core/db/client';
import { customers } from '../core/db/schema/customers';
import { events } from '../core/db/schema/events';
import { eventRow, type EventInsert } from '../core/ingest/event';
import { inboxBacklog, inboxEntries, InboxWriter } from '../core/ingest/inbox';
import { ingestMessages } from '../core/ingest/ingest';
import { processInbox, startInboxProcessor } from '../core/ingest/processor';
import { eventTime } from '../core/ingest/timestamp';
import { validateMessages } from '../core/ingest/validate';
import { rowsOf } from '../core/db/rows';
import { startBenchApp, type BenchApp } from './lib/app';
import { httpPoster, type HttpPoster } from './lib/http-client';
import { undoOnSignals } from './lib/cleanup';
import { openPgliteBench, openPostgresBench, type BenchDb } from './lib/db';
import { eventsPerSecond, formatTable, percentile, ratioText, type CaseResult, type Sample } from './lib/stats';
import { defaultWorkload, makePeople, makeStream, type WorkloadMessage } from './lib/workload';

const root = resolve(import.meta.dirname, '..');

const PLAN = {
	/** Messages stored before the first case, untimed: the known people. */
	preload: 1_000,
	batchSize: 100,
	clients: [1, 16, 64],
	/** Each accept case runs until this many calls or this many seconds, whichever first. */
	single: { calls: 1_500, capSeconds: 6 },
	batch: { calls: 120, capSeconds: 8 },
	/** The processor's mix: messages and known people (fewer on PGlite, whose database time is Node's CPU). */
	mix: { messages: 4_000, people: 2_000, pglite: { messages: 1_500, people: 500 }, known: 0.8, fresh: 0.15, merges: 0.05 },
	/** Steady arrival for the lag figure: target events/s (lowered to 60 % of the measured processor rate if that is below it) and duration. */
	steady: { rate: 1_000, seconds: 10 }
} as const;

type Shape = 'single' | 'batch';
type Call = () => Promise<unknown>;

/** `calls` run by `clients` concurrent loops until done or the cap; wall-clock throughput and per-call latencies. */
async function runConcurrent(calls: readonly Call[], clients: number, capSeconds: number, perCall: number): Promise<Sample> {
	const latenciesMs: number[] = [];
	let next = 0;
	const t0 = performance.now();
	const deadline = t0 + capSeconds * 1000;
	const loop = async () => {
		while (next < calls.length && performance.now() < deadline) {
			const call = calls[next++]!;
			const s = performance.now();
			await call();
			latenciesMs.push(performance.now() - s);
		}
	};
	await Promise.all(Array.from({ length: clients }, loop));
	const seconds = (performance.now() - t0) / 1000;
	return { events: latenciesMs.length * perCall, seconds, latenciesMs, capped: next < calls.length };
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

type Slice = { bodies: Record<string, unknown>[]; rows: EventInsert[] };
type AcceptCase = { name: string; shape: Shape; clients: number; slice: Slice };

function makeAcceptWorkload(): { preload: Slice; cases: AcceptCase[]; customerIds: string[] } {
	const people = makePeople(defaultWorkload);
	const specs: Array<Omit<AcceptCase, 'slice' | 'name'>> = [];
	for (const shape of ['batch', 'single'] as const) for (const clients of PLAN.clients) specs.push({ shape, clients });
	const sizes = specs.map((s) => (s.shape === 'single' ? PLAN.single.calls : PLAN.batch.calls * PLAN.batchSize));
	const total = PLAN.preload + sizes.reduce((a, b) => a + b, 0);
	const stream = makeStream(defaultWorkload, people, total);
	const customerIds = people.map((p) => p.customerId);
	const rows = rawRows(stream, customerIds, new Date());
	const bodies = stream.map((m) => m.body);
	let at = PLAN.preload;
	const cases = specs.map((s, i) => {
		const n = sizes[i]!;
		const slice = { bodies: bodies.slice(at, at + n), rows: rows.slice(at, at + n) };
		at += n;
		const name =
			s.shape === 'single' ? `HTTP /track|/identify, 1 event, ${s.clients} client(s)` : `HTTP /batch, ${PLAN.batchSize} events, ${s.clients} client(s)`;
		return { ...s, name, slice };
	});
	return { preload: { bodies: bodies.slice(0, PLAN.preload), rows: rows.slice(0, PLAN.preload) }, cases, customerIds };
}

function httpCalls(client: HttpPoster, keys: string[], c: AcceptCase): Call[] {
	const groups = c.shape === 'single' ? c.slice.bodies.map((b) => [b]) : chunks(c.slice.bodies, PLAN.batchSize);
	return groups.map((msgs, i) => async () => {
		const path = c.shape === 'single' ? `/api/v1/${String(msgs[0]!.type)}` : '/api/v1/batch';
		const body = JSON.stringify(c.shape === 'single' ? msgs[0] : { batch: msgs });
		const res = await client.post(path, { 'content-type': 'application/json', authorization: keys[i % keys.length]! }, body);
		if (res.status !== 200) throw new Error(`POST ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
	});
}

/** Accept cases: ours over HTTP, then the raw INSERT of as many calls' rows at the same concurrency. */
async function benchAccept(ours: BenchDb, raw: BenchDb, app: BenchApp, log: (m: string) => void): Promise<CaseResult[]> {
	const w = makeAcceptWorkload();
	const keys = await app.use(ours.handle);
	for (const msgs of chunks(w.preload.bodies, PLAN.batchSize)) await ingestMessages(ours.handle.db, msgs);
	for (const ids of chunks(w.customerIds, 1000)) await raw.handle.db.insert(customers).values(ids.map((id) => ({ id })));
	for (const rows of chunks(w.preload.rows, PLAN.batchSize)) await raw.handle.db.insert(events).values(rows);
	const results: CaseResult[] = [];
	const client = httpPoster(app.url, Math.max(...PLAN.clients));
	try {
		for (const c of w.cases) {
			const plan = c.shape === 'single' ? PLAN.single : PLAN.batch;
			const perCall = c.shape === 'single' ? 1 : PLAN.batchSize;
			const calls = httpCalls(client, keys, c);
			await calls[0]!(); // warm-up (connection, route module)
			const oursSample = await runConcurrent(calls.slice(1), c.clients, plan.capSeconds, perCall);
			const n = oursSample.latenciesMs.length;
			const rawGroups = (c.shape === 'single' ? c.slice.rows.map((r) => [r]) : chunks(c.slice.rows, PLAN.batchSize)).slice(1, 1 + n);
			const rawSample = await runConcurrent(
				rawGroups.map((rows) => () => raw.handle.db.insert(events).values(rows)),
				c.clients,
				3_600,
				perCall
			);
			const result = { database: ours.label, name: c.name, ours: oursSample, raw: rawSample };
			results.push(result);
			log(
				`  ${c.name}: ${Math.round(eventsPerSecond(oursSample)).toLocaleString('en-US')} events/s accepted (p99 ${percentile(oursSample.latenciesMs, 99).toFixed(1)} ms), raw INSERT ` +
					`${Math.round(eventsPerSecond(rawSample)).toLocaleString('en-US')} events/s → ${ratioText(result)}`
			);
		}
	} finally {
		client.close();
	}
	return results;
}

/** The processor's mix: known people (by userId), new people (fresh anonymousId + e-mail), merges (an anonymous profile identifies as a known person). */
async function makeMix(db: Db, n: number, people: number): Promise<unknown[]> {
	const { known, merges } = PLAN.mix;
	const mergeCount = Math.round(n * merges);
	// Known people and the anonymous profiles the merges will fold into them, stored first (untimed).
	const seed: unknown[] = [];
	for (let i = 0; i < people; i++)
		seed.push({ type: 'identify', messageId: `seed-${i}`, userId: `known-${i}`, traits: { email: `known-${i}@mix.example`, plan: 'member' } });
	for (let i = 0; i < mergeCount; i++) seed.push({ type: 'page', messageId: `anon-${i}`, anonymousId: `anon-${i}`, name: 'Home' });
	for (const msgs of chunks(seed, 500)) await ingestMessages(db, msgs);
	const out: unknown[] = [];
	let merged = 0;
	for (let i = 0; i < n; i++) {
		const r = (i * 7919) % 100;
		const context = { locale: 'en-US', timezone: 'Europe/Lisbon', page: { url: 'https://shop.example/p/1', path: '/p/1' } };
		if (r < known * 100) {
			out.push({
				type: 'track',
				messageId: `mix-${i}`,
				userId: `known-${(i * 31) % people}`,
				event: 'Product Viewed',
				properties: { sku: `SKU-${i % 50}`, price: 20 },
				context
			});
		} else if (r < (1 - merges) * 100 || merged >= mergeCount) {
			out.push({ type: 'identify', messageId: `mix-${i}`, anonymousId: `new-${i}`, traits: { email: `new-${i}@mix.example` }, context });
		} else {
			out.push({
				type: 'identify',
				messageId: `mix-${i}`,
				anonymousId: `anon-${merged}`,
				traits: { email: `known-${(merged * 17) % people}@mix.example` },
				context
			});
			merged++;
		}
	}
	return out;
}

async function counts(db: Db): Promise<{ live: number; merges: number }> {
	const [row] = rowsOf<{ live: number; merges: number }>(
		await db.execute(sql`select (select count(*)::int from customers where merged_into is null) as live, (select count(*)::int from merges) as merges`)
	);
	return row ?? { live: 0, merges: 0 };
}

/** Resolved events/s of the processor for the mix, then the lag at a steady arrival rate. */
async function benchProcess(db: BenchDb, log: (m: string) => void): Promise<string[]> {
	const lines: string[] = [];
	const size = db.label === 'PGlite' ? PLAN.mix.pglite : PLAN.mix;
	const messages = await makeMix(db.handle.db, size.messages, size.people);
	const writer = new InboxWriter(db.handle.db);
	for (const msgs of chunks(messages, 500)) await writer.append(inboxEntries(msgs, new Date()));
	const before = await counts(db.handle.db);
	const t0 = performance.now();
	let processed = 0;
	for (;;) {
		const r = await processInbox(db.handle.db);
		if (r.failed) throw new Error(`${r.failed} message(s) failed`);
		if (r.processed === 0) break;
		processed += r.processed;
	}
	const seconds = (performance.now() - t0) / 1000;
	const after = await counts(db.handle.db);
	const rate = processed / seconds;
	lines.push(
		`${db.label}  processor: ${processed.toLocaleString('en-US')} messages (80 % known, 15 % new, 5 % merges) resolved in ${seconds.toFixed(1)} s → ` +
			`${Math.round(rate).toLocaleString('en-US')} events/s (${after.live - before.live} new profiles, ${after.merges - before.merges} merges)`
	);
	log(`  ${lines.at(-1)!.slice(db.label.length + 2)}`);

	// Steady arrival: appends every 100 ms; one processor running with a router that only marks events routed. What
	// came before (raw rows, the mix, its seed) is marked routed first, so the lag is the steady stream's alone.
	await db.handle.db.update(events).set({ routedAt: new Date() }).where(isNull(events.routedAt));
	const target = Math.min(PLAN.steady.rate, Math.floor(rate * 0.6));
	const perTick = Math.max(1, Math.round(target / 10));
	const processor = startInboxProcessor(db.handle.db, {
		route: async (ids) => {
			for (const part of chunks(ids, 1000)) await db.handle.db.update(events).set({ routedAt: new Date() }).where(inArray(events.id, part));
		},
		log: () => {}
	});
	const lags: number[] = [];
	let sent = 0;
	const ticks = PLAN.steady.seconds * 10;
	const start = performance.now();
	for (let tick = 0; tick < ticks; tick++) {
		const msgs = Array.from({ length: perTick }, (_, i) => ({
			type: 'track',
			messageId: `steady-${tick}-${i}`,
			userId: `known-${(tick * perTick + i) % size.people}`,
			event: 'Product Viewed',
			properties: { sku: 'SKU-1' }
		}));
		const appended = writer.append(inboxEntries(msgs, new Date()));
		sent += perTick;
		// Sampled once this tick's messages are committed (accepted), else the sample cannot see them yet.
		if (tick % 2 === 1) {
			await appended;
			lags.push((await inboxBacklog(db.handle.db)).lagMs);
		} else void appended;
		const wait = start + (tick + 1) * 100 - performance.now();
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));
	}
	const drainStart = performance.now();
	while ((await inboxBacklog(db.handle.db)).lagMs > 0 && performance.now() - drainStart < 60_000) await new Promise((r) => setTimeout(r, 50));
	await processor.stop();
	lines.push(
		`${db.label}  lag at a steady ${Math.round(sent / PLAN.steady.seconds).toLocaleString('en-US')} events/s for ${PLAN.steady.seconds} s` +
			`${target < PLAN.steady.rate ? ` (60 % of the measured processor rate; ${PLAN.steady.rate.toLocaleString('en-US')}/s is beyond this machine)` : ''}: ` +
			`ingest → routed p50 ${Math.round(percentile(lags, 50))} ms, p99 ${Math.round(percentile(lags, 99))} ms, max ${Math.round(Math.max(...lags))} ms; ` +
			`backlog drained ${Math.round(performance.now() - drainStart)} ms after the last append`
	);
	log(`  ${lines.at(-1)!.slice(db.label.length + 2)}`);
	return lines;
}

async function withPair<T>(open: () => Promise<BenchDb>, run: (ours: BenchDb, raw: BenchDb) => Promise<T>): Promise<T> {
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
	log('Ingest benchmark: accept (HTTP → inbox) beside a raw INSERT of the same rows, then the inbox processor');
	log(
		`  accept: the built app in this process (no worker: accepted messages stay in the inbox), ${PLAN.clients.join('/')} concurrent clients with keep-alive, ` +
			`round-robin over 16 write keys; each case up to ${PLAN.single.calls} single calls (${PLAN.single.capSeconds} s) or ${PLAN.batch.calls} batches of ${PLAN.batchSize} (${PLAN.batch.capSeconds} s); ` +
			'raw: one drizzle insert(events).values(rows) per call (the same 1 or 100 rows), same concurrency, into a second database of the same kind'
	);
	log(`  machine: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? '?'}`);
	process.env.INGEST_MAX_BACKLOG = '0'; // the accept cases pile messages up on purpose: no 429 here

	const stopUndoOnSignals = undoOnSignals();
	let app: BenchApp | undefined;
	if (process.env.BENCH_HTTP === '0') log('  HTTP: skipped (BENCH_HTTP=0)');
	else {
		try {
			app = await startBenchApp(root, (m) => log(`  [web] ${m}`));
		} catch (err) {
			log(`  HTTP: skipped, the app could not start: ${err instanceof Error ? err.message : String(err)}`);
		}
	}
	const results: CaseResult[] = [];
	const processLines: string[] = [];
	const kinds: Array<() => Promise<BenchDb>> = [openPgliteBench];
	if (pgUrl) kinds.push(() => openPostgresBench(pgUrl));
	try {
		for (const open of kinds) {
			await withPair(open, async (ours, raw) => {
				log(`\n${await ours.describe()}`);
				if (app) results.push(...(await benchAccept(ours, raw, app, log)));
				processLines.push(...(await benchProcess(raw, log))); // the raw database is a clean one for the processor
			});
		}
	} finally {
		await app?.close();
		stopUndoOnSignals();
	}

	log('');
	log(formatTable(results));
	log('');
	log(
		'events/s: events ÷ wall-clock time with all clients running; p50/p99 per call (one event, or one batch). ours/raw: accepted events/s ÷ the raw INSERT’s.'
	);
	if (results.some((r) => r.ours.capped)) log('* stopped at the time cap before all planned calls.');
	for (const line of processLines) log(line);
	if (!pgUrl) log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to a server where the benchmark may create a database).');
	return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
	runIngestBench().catch((err: unknown) => {
		console.error(err);
		process.exit(1);
	});
}
