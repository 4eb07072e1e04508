/**
 * Starts the Temporal CLI dev server (`temporal server start-dev`) as a child process.
 * Used by the start script (SQLite file under .data/) and by the test global setup (in-memory).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from './cli.js';

export interface DevServerOptions {
	/** gRPC port; a free one when omitted. */
	port?: number;
	/** Web UI port; a free one when omitted, `null` for headless. */
	uiPort?: number | null;
	/** SQLite file; in-memory when omitted. */
	dbFile?: string;
	namespace?: string;
	log?: (m: string) => void;
}

export interface DevServer {
	address: string;
	uiUrl?: string;
	namespace: string;
	/** The server process (for benchmarks reading its CPU time). */
	pid?: number;
	stop(): Promise<void>;
}

const HOST = '127.0.0.1'; // explicit IPv4: "localhost" may resolve to ::1 where nothing listens
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/** Asks the OS for a free port. Racy in theory, fine for a dev/test machine. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, HOST, () => {
			const addr = srv.address();
			srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
		});
	});
}

/** Rejects with `signal.reason` as soon as the signal aborts, whatever `p` is still doing. */
function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
	if (!signal) return p;
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		if (signal.aborted) return onAbort();
		signal.addEventListener('abort', onAbort, { once: true });
		p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

/** One DescribeNamespace call on a connection that is always closed (a failed `connect()` leaks it). */
async function describeOnce(address: string, namespace: string, connectTimeout: number): Promise<void> {
	const conn = Connection.lazy({ address, connectTimeout });
	try {
		await conn.ensureConnected();
		await conn.workflowService.describeNamespace({ namespace });
	} finally {
		await conn.close().catch(() => {});
	}
}

/**
 * Polls until `namespace` answers DescribeNamespace: the port opens before the namespace is
 * registered, and workers started in between fail with "namespace not found".
 * `signal` stops waiting early (e.g. when the server process has exited).
 */
export async function waitForNamespace(address: string, namespace: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	while (Date.now() < deadline) {
		const connectTimeout = Math.min(5_000, Math.max(500, deadline - Date.now()));
		try {
			return await abortable(describeOnce(address, namespace, connectTimeout), signal);
		} catch (err) {
			if (signal?.aborted) throw signal.reason;
			lastError = err;
		}
		await sleep(250);
	}
	throw new Error(
		`Temporal at ${address} did not serve namespace "${namespace}" within ${timeoutMs / 1000} s: ` +
			`${lastError instanceof Error ? lastError.message : String(lastError)}`
	);
}

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
	const log = opts.log ?? ((m: string) => console.error(`[temporal] ${m}`));
	const cli = await findTemporalCli({ log });
	const namespace = opts.namespace ?? 'default';
	const port = opts.port ?? (await freePort());
	const uiPort = opts.uiPort === null ? null : (opts.uiPort ?? (await freePort()));

	const args = ['server', 'start-dev', '--ip', HOST, '--port', String(port), '--log-level', 'warn'];
	// "default" always exists; other namespaces are created at launch.
	if (namespace !== 'default') args.push('--namespace', namespace);
	if (opts.dbFile) {
		mkdirSync(dirname(opts.dbFile), { recursive: true });
		args.push('--db-filename', opts.dbFile);
	}
	args.push(...(uiPort === null ? ['--headless'] : ['--ui-port', String(uiPort)]));

	const started = Date.now();
	const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	const tail: string[] = [];
	const keep = (buf: Buffer) => {
		tail.push(
			...buf
				.toString()
				.split('\n')
				.filter((l) => l.trim())
		);
		tail.splice(0, Math.max(0, tail.length - 40));
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	let exit: string | undefined;
	const died = new AbortController(); // ends the start-up wait as soon as the process is gone
	child.on('error', (err) => died.abort(new Error(`cannot run ${cli}: ${err.message}`)));
	const exited = new Promise<void>((resolve) =>
		child.on('close', (code, signal) => {
			exit = `exited with ${signal ?? `code ${code}`}`;
			died.abort(new Error(`Temporal dev server ${exit}`));
			resolve();
		})
	);
	// A crashed or killed parent must not leave a server holding the port.
	const killOnExit = () => child.kill('SIGKILL');
	process.once('exit', killOnExit);

	const stop = async () => {
		process.removeListener('exit', killOnExit);
		if (exit || child.pid === undefined) return; // already gone, or never started
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
		await exited;
		clearTimeout(timer);
	};

	const address = `${HOST}:${port}`;
	try {
		await waitForNamespace(address, namespace, START_TIMEOUT_MS, died.signal);
	} catch (err) {
		await stop();
		throw new Error(`${(err as Error).message}\ncommand: ${cli} ${args.join(' ')}\nserver output (tail):\n${tail.join('\n') || '(none)'}`, { cause: err });
	}
	log(`dev server up at ${address} (namespace ${namespace}) in ${Date.now() - started} ms`);
	return {
		address,
		namespace,
		pid: child.pid,
		...(uiPort === null ? {} : { uiUrl: `http://${HOST}:${uiPort}` }),
		stop
	};
}
