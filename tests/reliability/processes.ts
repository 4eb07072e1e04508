import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../scripts/temporal/dev-server';

/** Child processes for the reliability tests: the built web app (`node build`, as in production) and a worker. */

export const ROOT = resolve(import.meta.dirname, '../..');

export type Child = {
	proc: ChildProcess;
	/** Everything it printed so far. */
	output(): string;
	alive(): boolean;
	/** Sends `signal` and resolves with the exit code and how long it took, or code null if it had not exited within `withinMs` (then SIGKILLed). */
	stop(signal?: NodeJS.Signals, withinMs?: number): Promise<{ code: number | null; ms: number }>;
};

function start(args: string[], env: Record<string, string | undefined>, ready: RegExp, timeoutMs: number): Promise<Child> {
	const proc = spawn(process.execPath, args, {
		cwd: ROOT,
		env: { ...process.env, NODE_ENV: 'production', DATA_DIR: mkdtempSync(join(tmpdir(), 'omnicanal-rel-')), APP_SECRET: 'test-secret', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	proc.stdout!.on('data', (b: Buffer) => (output += b.toString()));
	proc.stderr!.on('data', (b: Buffer) => (output += b.toString()));
	const child: Child = {
		proc,
		output: () => output,
		alive: () => proc.exitCode === null && proc.signalCode === null,
		stop(signal = 'SIGTERM', withinMs = 30_000) {
			const t0 = performance.now();
			if (!child.alive()) return Promise.resolve({ code: proc.exitCode, ms: 0 });
			return new Promise((done) => {
				const timer = setTimeout(() => {
					proc.kill('SIGKILL');
					done({ code: null, ms: performance.now() - t0 });
				}, withinMs);
				proc.once('exit', (code) => {
					clearTimeout(timer);
					done({ code, ms: performance.now() - t0 });
				});
				proc.kill(signal);
			});
		}
	};
	return new Promise((ok, fail) => {
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			fail(new Error(`not ready within ${timeoutMs} ms:\n${output}`));
		}, timeoutMs);
		const check = () => {
			if (!ready.test(output)) return;
			clearTimeout(timer);
			ok(child);
		};
		proc.stdout!.on('data', check);
		proc.once('exit', (code) => {
			clearTimeout(timer);
			fail(new Error(`exited (${code}) before it was ready:\n${output}`));
		});
	});
}

/** The built web app (`node build`, built once by the suite's global setup) on a free loopback port. */
export async function startWeb(env: Record<string, string | undefined>): Promise<Child & { url: string }> {
	const port = await freePort();
	const child = await start(['build'], { HOST: '127.0.0.1', PORT: String(port), ORIGIN: `http://127.0.0.1:${port}`, ...env }, /Listening on/, 30_000);
	return Object.assign(child, { url: `http://127.0.0.1:${port}` });
}

/** The standalone worker (`node --import tsx worker/main.ts`: migrations, worker, routing sweep), ready once it polls. */
export function startWorker(env: Record<string, string | undefined>): Promise<Child> {
	// Node itself with tsx's loader: tsx's CLI would run the worker in a child of its own, which a SIGKILL would orphan.
	return start(['--import', 'tsx', 'worker/main.ts'], env, /worker polling task queue/, 90_000);
}

/** A request and how long it took; network failures come back as status 0. */
export async function timedFetch(url: string, init?: RequestInit): Promise<{ status: number; ms: number; body: unknown; headers: Headers }> {
	const t0 = performance.now();
	try {
		const res = await fetch(url, init);
		const text = await res.text();
		let body: unknown = text;
		try {
			body = JSON.parse(text);
		} catch {
			/* a page */
		}
		return { status: res.status, ms: performance.now() - t0, body, headers: res.headers };
	} catch (err) {
		return { status: 0, ms: performance.now() - t0, body: String(err), headers: new Headers() };
	}
}
