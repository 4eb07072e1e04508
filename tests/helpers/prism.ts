/**
 * Prism mock servers serving the providers' own OpenAPI descriptions (tests/contracts, see its README),
 * so the real SendGrid and Twilio SDKs are exercised against the published contract: a request that breaks
 * it comes back 4xx with the violation. Each suite talks to Prism through a small recording proxy, so tests
 * can count and inspect the requests the SDKs really sent.
 *
 * `prismFor(spec)` uses the servers started once per run by tests/setup/prism.ts when that global setup is
 * registered, and otherwise starts its own for the test file (stopped by `stop()`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import { inject } from 'vitest';
import { fakeServer, freePort } from './http-fake';

export type PrismSpec = 'sendgrid' | 'twilio' | 'twilio-messaging';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Base URLs of shared Prism servers, by spec; set by tests/setup/prism.ts. */
		prism?: Partial<Record<PrismSpec, string>>;
	}
}

const root = resolve(import.meta.dirname, '../..');
const files: Record<PrismSpec, string> = {
	sendgrid: 'sendgrid_v3.json',
	twilio: 'twilio_api_v2010.json',
	'twilio-messaging': 'twilio_messaging_v1.json'
};

export function contractsDir(): string {
	return resolve(root, 'tests/contracts');
}

export type PrismServer = { url: string; stop(): Promise<void>; log(): string };

function portOpen(port: number): Promise<boolean> {
	return new Promise((done) => {
		const socket = createConnection({ port, host: '127.0.0.1' });
		socket.once('connect', () => (socket.destroy(), done(true)));
		socket.once('error', () => done(false));
	});
}

async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = once(child, 'exit');
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
	await exited;
	clearTimeout(timer);
}

/** Starts `prism mock` on a free port and waits until it answers (loading the larger files takes a while). */
export async function startPrism(spec: PrismSpec, timeoutMs = 120_000): Promise<PrismServer> {
	const file = resolve(contractsDir(), files[spec]);
	if (!existsSync(file)) throw new Error(`contract ${file} not found`);
	const port = await freePort();
	const bin = resolve(root, 'node_modules/.bin/prism');
	const child = spawn(bin, ['mock', '-p', String(port), '-h', '127.0.0.1', file], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.on('data', (d: Buffer) => void (output = (output + d.toString()).slice(-200_000)));
	child.stderr?.on('data', (d: Buffer) => void (output = (output + d.toString()).slice(-200_000)));
	const deadline = Date.now() + timeoutMs;
	while (!output.includes('Prism is listening') || !(await portOpen(port))) {
		if (child.exitCode !== null) throw new Error(`prism (${spec}) exited with ${child.exitCode}:\n${output.slice(-4000)}`);
		if (Date.now() > deadline) {
			await stopChild(child);
			throw new Error(`prism (${spec}) not ready after ${timeoutMs} ms:\n${output.slice(-4000)}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child), log: () => output };
}

export type RecordedRequest = {
	method: string;
	/** Path and query as received. */
	path: string;
	headers: IncomingHttpHeaders;
	body: string;
	status: number;
	response: string;
};

export type RecordingProxy = { url: string; requests: RecordedRequest[]; close(): Promise<void> };

/** Forwards every request to `target` and records request and answer. */
export async function recordingProxy(target: string): Promise<RecordingProxy> {
	const requests: RecordedRequest[] = [];
	const upstream = new URL(target);
	const server = await fakeServer((req, res) => {
		const headers = { ...req.headers, host: upstream.host };
		const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.path, headers }, (answer) => {
			const back: Buffer[] = [];
			answer.on('data', (c: Buffer) => back.push(c));
			answer.on('end', () => {
				const response = Buffer.concat(back);
				requests.push({
					method: req.method,
					path: req.path,
					headers: req.headers,
					body: req.body,
					status: answer.statusCode ?? 0,
					response: response.toString()
				});
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				res.end(response);
			});
		});
		out.on('error', (err) => {
			res.writeHead(502);
			res.end(String(err));
		});
		out.end(req.raw);
	});
	return { url: server.url, requests, close: () => server.close() };
}

export type PrismHandle = RecordingProxy & { stop(): Promise<void>; log(): string };

/**
 * A recording proxy in front of Prism for one spec: the shared server when the global setup provided one,
 * else a server of this file's own. Call `stop()` in afterAll.
 */
export async function prismFor(spec: PrismSpec): Promise<PrismHandle> {
	const shared = inject('prism')?.[spec];
	const own = shared ? null : await startPrism(spec);
	const proxy = await recordingProxy(shared ?? own!.url);
	return {
		...proxy,
		log: () => own?.log() ?? '(shared prism server: see the global setup)',
		stop: async () => {
			await proxy.close();
			await own?.stop();
		}
	};
}
