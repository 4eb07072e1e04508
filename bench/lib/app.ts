/**
 * The built web app (build/handler.js, what `npm start` serves) on a free local port in this process, the way
 * scripts/product.ts starts it, without the Temporal worker: the benchmark measures ingest, not journeys.
 * The app reaches the benchmark's database through `registerSharedDb` (core/db/client.ts).
 */
import { cpSync, rmSync, statSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApiKey } from '../../core/auth/accounts';
import { registerSharedDb, type DbHandle } from '../../core/db/client';
import { buildWebIfStale } from '../../scripts/build-if-stale';
import { tempDir, undoOnExit } from './cleanup';

const DB_KEY = Symbol.for('omnicanal.db');

/**
 * The ingest endpoints allow 200 requests a second per write key (web/lib/server/ingest.ts); single-event
 * requests go round-robin over this many keys so the benchmark measures ingest, not the rate limiter.
 */
const WRITE_KEYS = 16;

export type BenchApp = {
	url: string;
	/** Points the app at `db` and returns write keys (Basic authorization header values) created in it. */
	use(db: DbHandle): Promise<string[]>;
	close(): Promise<void>;
};

/**
 * A private copy of build/: the app loads route modules lazily, and a test run rebuilding build/ meanwhile (a
 * shared checkout) would pull them from under us. Kept under node_modules/.cache so the copy's bare imports
 * still resolve to the project's node_modules.
 */
function copyBuild(root: string): string {
	const handler = join(root, 'build', 'handler.js');
	for (let attempt = 1; ; attempt++) {
		const before = statSync(handler).mtimeMs;
		const dir = tempDir(join(root, 'node_modules', '.cache'), 'omnicanal-bench-app-');
		cpSync(join(root, 'build'), dir, { recursive: true });
		if (statSync(handler).mtimeMs === before) return dir;
		rmSync(dir, { recursive: true, force: true }); // rebuilt while we copied
		if (attempt === 3) throw new Error('build/ keeps changing (another build is running); try again');
		Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3_000);
	}
}

export async function startBenchApp(root: string, log: (m: string) => void): Promise<BenchApp> {
	buildWebIfStale(root, log);
	const buildDir = copyBuild(root);
	const dataDir = tempDir(tmpdir(), 'omnicanal-bench-app-');
	process.env.DATA_DIR = dataDir; // nothing under the repository's .data
	// The web app only appends to the inbox (the worker's processor routes); no Temporal is needed or wanted here.
	delete process.env.TEMPORAL_ADDRESS;
	let handler: RequestListener | undefined;
	const server = createServer((req, res) => handler!(req, res));
	// Cases without HTTP run in between: an idle keep-alive socket must not time out under the next request.
	server.keepAliveTimeout = 10 * 60_000;
	const close = undoOnExit(async () => {
		const closed = new Promise((ok) => server.close(ok));
		server.closeAllConnections(); // the client's keep-alive sockets
		await closed; // called back with an error when it never listened: fine
		delete (globalThis as Record<symbol, unknown>)[DB_KEY];
		rmSync(dataDir, { recursive: true, force: true });
		rmSync(buildDir, { recursive: true, force: true });
	});
	try {
		await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		process.env.ORIGIN = url; // adapter-node reads it once, when the handler is imported
		({ handler } = (await import(pathToFileURL(join(buildDir, 'handler.js')).href)) as { handler: RequestListener });
		return {
			url,
			async use(db) {
				registerSharedDb(db);
				const keys: string[] = [];
				for (let i = 0; i < WRITE_KEYS; i++) {
					const { key } = await createApiKey(db.db, { name: `bench write key ${i}`, kind: 'write', role: 'marketer' });
					keys.push(`Basic ${Buffer.from(`${key}:`).toString('base64')}`);
				}
				return keys;
			},
			close
		};
	} catch (err) {
		await close().catch(() => {});
		throw err;
	}
}
