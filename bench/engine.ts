/**
 * Engine benchmark (`npm run bench:engine`): N customers through trigger → e-mail (outbox) → SMS → exit, from
 * ingest (HTTP /api/v1/batch to the built web app) to completion, run by our standalone worker; beside a bare
 * Temporal workflow that does the same two sends' worth of work (one row each) without our step log and routing
 * (the floor), on the same Temporal dev server and PostgreSQL, in the same run — once with the dev server on its
 * SQLite file and once in memory. Also the worker's memory with many enrollments waiting in a step.
 * PostgreSQL only (web and worker are separate processes, as in production): `BENCH_DATABASE_URL`, else
 * `TEST_DATABASE_URL`. Settings: BENCH_CUSTOMERS (default "300,1000"), BENCH_WAITING (default 2000; 0 skips).
 * See bench/README.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { createApiKey } from '../core/auth/accounts';
import { journeys, journeyVersions } from '../core/db/schema/journeys';
import type { JourneyDefinition } from '../core/graph/definition';
import { parseJourney } from '../core/graph/validate';
import { buildWebIfStale } from '../scripts/build-if-stale';
import { freePort, startDevServer, type DevServer } from '../scripts/temporal/dev-server';
import type { BareStartRequest } from './engine/bare-worker';
import { tempDir, undoOnExit, undoOnSignals } from './lib/cleanup';
import { openPostgresBench, type BenchDb } from './lib/db';

const root = resolve(import.meta.dirname, '..');
const CLOCK_TICKS = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

type Proc = { child: ChildProcess; output: () => string; stop(): Promise<void> };
type Usage = { cpuS: number; rssMiB: number; peakMiB: number };
/** The whole machine's CPU time (all processes: ours, Temporal, PostgreSQL, this client), from /proc/stat. */
type Machine = { busyS: number; totalS: number };
type Run = {
	side: 'ours' | 'bare';
	customers: number;
	seconds: number;
	perSecond: number;
	commitsPer: number;
	cpuMsPer: number;
	/** Every process's CPU per enrollment, and how busy the machine was (100 % = every core). */
	machineCpuMsPer: number;
	machineBusy: number;
	historyEvents: number;
	rssMiB: number;
	/** Where the machine's CPU went, ms per enrollment: worker, web, Temporal server, PostgreSQL, this client, other. */
	cpuBy: Record<CpuGroup, number>;
	/**
	 * Ours: when the last event was accepted and routed (its enrollment started) and the last enrollment ended, in
	 * seconds after the first request. (An enrollment's entered_at is its entry event's time, so it is not shown.)
	 */
	timeline?: { accepted: number; routed: number; ended: number | null };
};

const CPU_GROUPS = ['worker', 'web', 'Temporal', 'PostgreSQL', 'client', 'other'] as const;
type CpuGroup = (typeof CPU_GROUPS)[number];
/** Every process's CPU time (s) by pid, with its command name. */
type Processes = Map<number, { comm: string; cpuS: number }>;

function spawnProc(args: string[], env: Record<string, string>, ready: RegExp, log: (m: string) => void, ipc = false): Promise<Proc> {
	const stdio = ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc' as const] : [])] as const;
	const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NODE_ENV: 'production', ...env }, stdio: [...stdio] });
	let output = '';
	const take = (b: Buffer) => (output = (output + b.toString()).slice(-20_000));
	child.stdout!.on('data', take);
	child.stderr!.on('data', take);
	const stop = undoOnExit(
		() =>
			new Promise<void>((done) => {
				if (child.exitCode !== null || child.signalCode !== null) return done();
				const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
				child.once('exit', () => {
					clearTimeout(kill);
					done();
				});
				child.kill('SIGTERM');
			})
	);
	return new Promise((ok, fail) => {
		const timer = setTimeout(() => fail(new Error(`not ready in 120 s:\n${output}`)), 120_000);
		const check = () => {
			if (!ready.test(output)) return;
			clearTimeout(timer);
			child.stdout!.off('data', check);
			ok({ child, output: () => output, stop });
		};
		child.stdout!.on('data', check);
		child.once('exit', (code) => {
			clearTimeout(timer);
			if (!ready.test(output)) fail(new Error(`exited (${code}) before it was ready:\n${output}`));
			else log(`process ${args.join(' ')} exited (${code})`);
		});
	});
}

function usage(pid: number): Usage {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const cpuS = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
	return { cpuS, rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

function machine(): Machine {
	const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
	const idle = fields[3]! + (fields[4] ?? 0); // idle + iowait
	const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // user nice system idle iowait irq softirq steal
	return { busyS: (total - idle) / CLOCK_TICKS, totalS: total / CLOCK_TICKS };
}

function processes(): Processes {
	const all: Processes = new Map();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat: string;
		try {
			stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // gone meanwhile
		}
		const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
		const f = stat
			.slice(stat.lastIndexOf(')') + 2)
			.split(' ')
			.map(Number);
		// A postmaster's cutime/cstime hold its exited backends; other processes' would count earlier runs again.
		const ticks = f[11]! + f[12]! + (comm === 'postgres' ? f[13]! + f[14]! : 0);
		all.set(Number(entry), { comm, cpuS: ticks / CLOCK_TICKS });
	}
	return all;
}

/** The CPU each group of processes used between two snapshots (a process born meanwhile counts from zero). */
function cpuByGroup(
	before: Processes,
	after: Processes,
	pids: { worker: number; web?: number; temporal?: number },
	customers: number
): Record<CpuGroup, number> {
	const by = Object.fromEntries(CPU_GROUPS.map((g) => [g, 0])) as Record<CpuGroup, number>;
	for (const [pid, { comm, cpuS }] of after) {
		const group: CpuGroup =
			pid === pids.worker
				? 'worker'
				: pid === pids.web
					? 'web'
					: pid === pids.temporal
						? 'Temporal'
						: comm === 'postgres'
							? 'PostgreSQL'
							: pid === process.pid
								? 'client'
								: 'other';
		by[group] += ((cpuS - (before.get(pid)?.cpuS ?? 0)) * 1000) / customers;
	}
	return by;
}

function machineFigures(before: Machine, after: Machine, customers: number): Pick<Run, 'machineCpuMsPer' | 'machineBusy'> {
	const busy = after.busyS - before.busyS;
	return { machineCpuMsPer: (busy * 1000) / customers, machineBusy: busy / (after.totalS - before.totalS) };
}

/** Commits on the benchmark's database so far (the statistics are flushed about once a second). */
async function commits(sql: postgres.Sql): Promise<number> {
	await new Promise((r) => setTimeout(r, 1_200));
	const [row] = await sql<{ n: string }[]>`select xact_commit::text as n from pg_stat_database where datname = current_database()`;
	return Number(row!.n);
}

async function until(probe: () => Promise<boolean>, limitMs: number, what: string): Promise<void> {
	const end = Date.now() + limitMs;
	while (!(await probe())) {
		if (Date.now() > end) throw new Error(`${what}: not done in ${limitMs / 1000} s`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

async function averageHistory(client: Client, workflowIds: string[]): Promise<number> {
	const sample = workflowIds.slice(0, 10);
	let total = 0;
	for (const id of sample) total += (await client.workflow.getHandle(id).fetchHistory()).events?.length ?? 0;
	return sample.length ? total / sample.length : 0;
}

const journeyFor = (steps: JourneyDefinition['nodes'], event: string): JourneyDefinition => {
	const nodes = [{ id: 'trigger', type: 'trigger' as const, entry: { kind: 'event' as const, event } }, ...steps, { id: 'exit', type: 'exit' as const }];
	return {
		schemaVersion: 1,
		nodes,
		edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id })),
		settings: { reentry: { mode: 'never' }, exitCriteria: [] }
	} as JourneyDefinition;
};

async function publish(db: BenchDb, def: JourneyDefinition): Promise<string> {
	const definition = parseJourney(def);
	const id = randomUUID();
	await db.handle.db.insert(journeys).values({ id, name: 'Engine benchmark', status: 'active', draft: definition, liveVersion: 1 });
	await db.handle.db.insert(journeyVersions).values({ journeyId: id, version: 1, definition });
	return id;
}

/** A private copy of build/ (a test run in a shared checkout may rebuild it meanwhile), removed at the end. */
function copyBuild(): { dir: string; remove: () => Promise<void> } {
	buildWebIfStale(root, (m) => console.log(`[bench] ${m}`));
	const dir = tempDir(join(root, 'node_modules', '.cache'), 'omnicanal-bench-engine-');
	cpSync(join(root, 'build'), dir, { recursive: true });
	return { dir, remove: undoOnExit(() => rmSync(dir, { recursive: true, force: true })) };
}

type Ctx = { adminUrl: string; temporal: DevServer; client: Client; buildDir: string; log: (m: string) => void };

/** Our product: the built web app and the standalone worker, each its own process, on a fresh database. */
async function ours(ctx: Ctx, customers: number, mode: 'send' | 'wait'): Promise<Run> {
	const db = await openPostgresBench(ctx.adminUrl);
	const url = new URL(db.url!);
	if (process.env.BENCH_LOG_STATEMENTS === '1') await logStatements(ctx.adminUrl, url);
	const event = mode === 'send' ? 'Bench Entered' : 'Bench Waiting';
	const journeyId = await publish(
		db,
		journeyFor(
			mode === 'send'
				? [
						{ id: 'email', type: 'sendEmail', subject: 'Hello {{ customer.traits.name }}', text: 'Welcome' },
						{ id: 'sms', type: 'sendSms', body: 'See you in store' }
					]
				: [{ id: 'wait', type: 'wait', mode: 'duration', duration: { amount: 30, unit: 'days' } }],
			event
		)
	);
	const { key } = await createApiKey(db.handle.db, { name: 'bench', kind: 'write', role: 'marketer' });
	const port = await freePort();
	const env = {
		DATABASE_URL: url.toString(),
		TEMPORAL_ADDRESS: ctx.temporal.address,
		TEMPORAL_NAMESPACE: ctx.temporal.namespace,
		TEMPORAL_TASK_QUEUE: `bench-${randomUUID().slice(0, 8)}`,
		APP_SECRET: 'bench-secret',
		DATA_DIR: tempDir(tmpdir(), 'omnicanal-bench-engine-'),
		LOG_LEVEL: 'ERROR'
	};
	const [worker, web] = await Promise.all([
		spawnProc([...profileArgs('worker'), '--import', 'tsx', 'worker/main.ts'], env, /worker polling task queue/, ctx.log),
		spawnProc([ctx.buildDir], { ...env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: `http://127.0.0.1:${port}` }, /Listening on/, ctx.log)
	]);
	const watch = postgres(url.toString(), { max: 1, onnotice: () => {} });
	try {
		const auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
		const before = { commits: await commits(watch), worker: usage(worker.child.pid!), web: usage(web.child.pid!), machine: machine(), processes: processes() };
		let polls = 1;
		const t0 = performance.now();
		const startedAt = Date.now();
		// 50 people per request (identify + track each), four requests in flight: a backfill, not a trickle.
		const chunks = Array.from({ length: Math.ceil(customers / 50) }, (_, c) => Array.from({ length: Math.min(50, customers - c * 50) }, (_, i) => c * 50 + i));
		let next = 0;
		await Promise.all(
			Array.from({ length: 4 }, async () => {
				while (next < chunks.length) {
					const people = chunks[next++]!;
					const batch = people.flatMap((i) => [
						{
							type: 'identify',
							userId: `bench-${i}`,
							messageId: `id-${i}`,
							traits: { name: `Person ${i}`, email: `p${i}@example.com`, phone: `+3361${String(i).padStart(7, '0')}` }
						},
						{ type: 'track', userId: `bench-${i}`, event, messageId: `tr-${i}` }
					]);
					for (;;) {
						const res = await fetch(`http://127.0.0.1:${port}/api/v1/batch`, {
							method: 'POST',
							headers: { 'content-type': 'application/json', authorization: auth },
							body: JSON.stringify({ batch })
						});
						if (res.ok) break;
						if (res.status !== 429 && res.status !== 503) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
						await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1_000));
					}
				}
			})
		);
		const status = mode === 'send' ? 'completed' : 'active';
		const node = mode === 'send' ? null : 'wait';
		await until(
			async () => {
				polls++;
				const [row] = await watch<{ n: number }[]>`
					select count(*)::int as n from enrollments
					where journey_id = ${journeyId} and status = ${status} and (${node}::text is null or current_node_id = ${node})`;
				return row!.n >= customers;
			},
			3_600_000,
			`ours, ${customers} customers`
		);
		const seconds = (performance.now() - t0) / 1000;
		const atEnd = machine();
		const byGroup = cpuByGroup(before.processes, processes(), { worker: worker.child.pid!, web: web.child.pid!, temporal: ctx.temporal.pid }, customers);
		const after = { commits: await commits(watch), worker: usage(worker.child.pid!), web: usage(web.child.pid!) };
		const [last] = await watch<{ accepted: Date; routed: Date; ended: Date | null }[]>`
			select (select max(received_at) from events) as accepted, (select max(routed_at) from events) as routed,
				(select max(ended_at) from enrollments) as ended`;
		const since = (d: Date) => (d.getTime() - startedAt) / 1000;
		polls += 2; // the two reads of the counter itself (the timeline's read comes after the count)
		const ids = (await watch<{ id: string }[]>`select id from enrollments where journey_id = ${journeyId} limit 10`).map((r) => r.id);
		return {
			side: 'ours',
			customers,
			seconds,
			perSecond: customers / seconds,
			commitsPer: (after.commits - before.commits - polls) / customers,
			cpuMsPer: ((after.worker.cpuS - before.worker.cpuS + after.web.cpuS - before.web.cpuS) * 1000) / customers,
			...machineFigures(before.machine, atEnd, customers),
			historyEvents: await averageHistory(ctx.client, ids),
			rssMiB: after.worker.rssMiB,
			cpuBy: byGroup,
			timeline: { accepted: since(last!.accepted), routed: since(last!.routed), ended: last!.ended ? since(last!.ended) : null }
		};
	} finally {
		await watch.end({ timeout: 5 });
		await Promise.all([worker.stop(), web.stop()]);
		rmSync(env.DATA_DIR, { recursive: true, force: true });
		await db.close();
	}
}

/** The floor: bare-workflow.ts in its own worker process, which starts the workflows itself (bare-worker.ts). */
async function bare(ctx: Ctx, customers: number, mode: 'send' | 'wait'): Promise<Run> {
	const db = await openPostgresBench(ctx.adminUrl);
	const url = new URL(db.url!);
	const taskQueue = `bare-${randomUUID().slice(0, 8)}`;
	const worker = await spawnProc(
		[...profileArgs('bare-worker'), '--import', 'tsx', 'bench/engine/bare-worker.ts'],
		{ DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: ctx.temporal.address, TEMPORAL_NAMESPACE: ctx.temporal.namespace, TEMPORAL_TASK_QUEUE: taskQueue },
		/bare worker polling/,
		ctx.log,
		true
	);
	const watch = postgres(url.toString(), { max: 1, onnotice: () => {} });
	const run = randomUUID().slice(0, 8);
	const ids = Array.from({ length: customers }, (_, i) => `bare-${run}-${i}`);
	try {
		const before = { commits: await commits(watch), worker: usage(worker.child.pid!), machine: machine(), processes: processes() };
		let polls = 1;
		const t0 = performance.now();
		// The bare worker starts the workflows itself, as our worker process does (bare-worker.ts).
		await new Promise<void>((ok, fail) => {
			worker.child.once('message', () => ok());
			worker.child.once('exit', (code) => fail(new Error(`bare worker exited (${code}) while starting workflows:\n${worker.output()}`)));
			worker.child.send({ start: ids, waitDays: mode === 'wait' ? 30 : 0 } satisfies BareStartRequest);
		});
		if (mode === 'send') {
			await until(
				async () => {
					polls++;
					const [row] = await watch<{ n: number }[]>`select count(*)::int as n from bench_bare_sends where channel = 'sms'`;
					return row!.n >= customers;
				},
				3_600_000,
				`bare, ${customers} customers`
			);
		} else {
			// Every workflow has taken its signal and started its timer once its history holds the timer.
			await until(
				async () => {
					const last = await ctx.client.workflow.getHandle(ids.at(-1)!).fetchHistory();
					return (last.events ?? []).some((e) => e.timerStartedEventAttributes);
				},
				3_600_000,
				'bare, waiting'
			);
			await new Promise((r) => setTimeout(r, 5_000));
		}
		const seconds = (performance.now() - t0) / 1000;
		const atEnd = machine();
		const byGroup = cpuByGroup(before.processes, processes(), { worker: worker.child.pid!, temporal: ctx.temporal.pid }, customers);
		const after = { commits: await commits(watch), worker: usage(worker.child.pid!) };
		polls += 2;
		return {
			side: 'bare',
			customers,
			seconds,
			perSecond: customers / seconds,
			commitsPer: (after.commits - before.commits - polls) / customers,
			cpuMsPer: ((after.worker.cpuS - before.worker.cpuS) * 1000) / customers,
			...machineFigures(before.machine, atEnd, customers),
			historyEvents: await averageHistory(ctx.client, ids),
			rssMiB: after.worker.rssMiB,
			cpuBy: byGroup
		};
	} finally {
		await watch.end({ timeout: 5 });
		await worker.stop();
		await db.close();
	}
}

/** BENCH_LOG_STATEMENTS=1: the server logs every statement on this database (for a breakdown of the commits). */
async function logStatements(adminUrl: string, url: URL): Promise<void> {
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`alter database ${url.pathname.slice(1)} set log_statement = 'all'`);
	} finally {
		await admin.end({ timeout: 5 });
	}
}

/** BENCH_PROFILE=<dir>: the worker writes a CPU profile there when it exits (DevTools → Performance → Load profile). */
function profileArgs(name: string): string[] {
	const dir = process.env.BENCH_PROFILE;
	return dir ? ['--cpu-prof', '--cpu-prof-dir', resolve(dir), '--cpu-prof-name', `${name}-${Date.now()}.cpuprofile`] : [];
}

async function describePostgres(adminUrl: string): Promise<string> {
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	try {
		const [s] = await admin<{ v: string; f: string; sc: string }[]>`
			select current_setting('server_version') as v, current_setting('fsync') as f, current_setting('synchronous_commit') as sc`;
		return `PostgreSQL ${s!.v} (fsync=${s!.f}, synchronous_commit=${s!.sc})`;
	} finally {
		await admin.end({ timeout: 5 });
	}
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function table(rows: Array<{ label: string; ours: Run; bare: Run }>): string {
	const head = [
		'case',
		'side',
		'enrollments/s',
		'ratio',
		'commits/enr.',
		'CPU ms/enr.',
		'machine CPU ms/enr.',
		'machine busy',
		'history events',
		'worker RSS MiB'
	];
	const lines = [head];
	for (const r of rows) {
		for (const run of [r.ours, r.bare])
			lines.push([
				r.label,
				run.side,
				fmt(run.perSecond, 2),
				run.side === 'ours' ? `${fmt(r.ours.perSecond / r.bare.perSecond, 2)} ×` : 'floor',
				fmt(run.commitsPer),
				fmt(run.cpuMsPer, 0),
				fmt(run.machineCpuMsPer, 0),
				`${fmt(run.machineBusy * 100, 0)} %`,
				fmt(run.historyEvents, 1),
				fmt(run.rssMiB, 0)
			]);
	}
	return aligned(lines);
}

/** Where each side's CPU went, ms per enrollment, process by process. */
function cpuTable(rows: Array<{ label: string; ours: Run; bare: Run }>): string {
	const lines = [['case', 'side', ...CPU_GROUPS.map((g) => `${g} ms/enr.`)]];
	for (const r of rows) for (const run of [r.ours, r.bare]) lines.push([r.label, run.side, ...CPU_GROUPS.map((g) => fmt(run.cpuBy[g]))]);
	return aligned(lines);
}

/** Ours, stage by stage: where the pipeline's time went (the floor starts its workflows directly). */
function timelineTable(rows: Array<{ label: string; ours: Run; bare: Run }>): string {
	const lines = [['case', 'side', 'last accepted s', 'last routed s', 'last ended s', 'bare done s']];
	for (const { label, ours, bare } of rows) {
		const t = ours.timeline!;
		lines.push([label, 'ours', fmt(t.accepted), fmt(t.routed), t.ended === null ? '–' : fmt(t.ended), fmt(bare.seconds)]);
	}
	return aligned(lines);
}

function aligned(lines: string[][]): string {
	const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
	return lines.map((l) => l.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

export async function runEngineBench(log: (m: string) => void): Promise<void> {
	const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
	if (!adminUrl) {
		log('bench:engine needs PostgreSQL (web and worker are separate processes): set BENCH_DATABASE_URL to a server where we may create databases.');
		return;
	}
	const sizes = (process.env.BENCH_CUSTOMERS ?? '300,1000').split(',').map(Number);
	const waiting = Number(process.env.BENCH_WAITING ?? 2_000);
	const build = copyBuild();
	try {
		const stores = (['SQLite file', 'in memory'] as const).filter((s) =>
			(process.env.BENCH_TEMPORAL ?? 'file,memory').includes(s === 'SQLite file' ? 'file' : 'memory')
		);
		for (const store of stores) {
			const dir = tempDir(tmpdir(), 'omnicanal-bench-temporal-');
			const removeDir = undoOnExit(() => rmSync(dir, { recursive: true, force: true }));
			const temporal = await startDevServer({ uiPort: null, dbFile: store === 'SQLite file' ? join(dir, 'temporal.sqlite') : undefined, log: () => {} });
			const stopTemporal = undoOnExit(() => temporal.stop());
			const connection = await Connection.connect({ address: temporal.address });
			const ctx: Ctx = { adminUrl, temporal, client: new Client({ connection, namespace: temporal.namespace }), buildDir: build.dir, log };
			try {
				log(`\nTemporal dev server (${store}); ${await describePostgres(adminUrl)}`);
				const rows = [];
				for (const n of sizes) {
					log(`  ${n} customers: ours…`);
					const o = await ours(ctx, n, 'send');
					log(`  ${n} customers: bare…`);
					const b = await bare(ctx, n, 'send');
					rows.push({ label: `${n} through e-mail → SMS`, ours: o, bare: b });
				}
				if (waiting > 0 && store === 'in memory') {
					log(`  ${waiting} customers entering a 30-day wait: ours…`);
					const o = await ours(ctx, waiting, 'wait');
					log(`  ${waiting} customers entering a 30-day wait: bare…`);
					const b = await bare(ctx, waiting, 'wait');
					rows.push({ label: `${waiting} waiting in a step`, ours: o, bare: b });
				}
				log('\n' + table(rows));
				log('\nwhere the CPU went\n' + cpuTable(rows));
				log('\nwhen (seconds after the first request)\n' + timelineTable(rows));
			} finally {
				await connection.close();
				await stopTemporal();
				await removeDir();
			}
		}
		log(
			"\nratio = our enrollments/s ÷ bare; commits/enr. = PostgreSQL commits per enrollment (pg_stat_database, the benchmark's own reads taken out); " +
				"CPU = worker + web process CPU time per enrollment (bare: its worker); machine CPU = every process's (ours or bare, Temporal, PostgreSQL, this client) and how busy all cores were; history events = mean over 10 workflows; RSS = worker resident memory at the end."
		);
	} finally {
		await build.remove();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const release = undoOnSignals();
	runEngineBench(console.log)
		.then(() => release())
		.catch((err: unknown) => {
			console.error(err);
			process.exit(1);
		});
}
