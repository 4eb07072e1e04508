/**
 * The built web app (build/handler.js, as `npm start` serves it) running inside the test process, so tests go
 * through real HTTP, hooks, auth and routes against a database the test controls — PGlite included, which only
 * one client can open: the app finds the test's handle where `sharedDb` keeps it (core/db/client.ts).
 */
import { mkdirSync, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Client } from '@temporalio/client';
import { inject } from 'vitest';
import { createApiKey, createUser, login } from '../../core/auth/accounts';
import type { Role } from '../../core/db/schema/auth';
import type { DbHandle } from '../../core/db/client';
import { buildWebIfStale } from '../../scripts/build-if-stale';
import type {} from './temporal'; // ProvidedContext['temporal']
import { freshDb, type TestDbKind } from './db';

const root = resolve(import.meta.dirname, '../..');
const DB_KEY = Symbol.for('omnicanal.db');
const TEMPORAL_KEY = Symbol.for('omnicanal.temporal-client');
const ROUTER_KEY = Symbol.for('omnicanal.router');
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
type Globals = Record<symbol, unknown>;

export type TestApp = {
	/** `http://127.0.0.1:<port>`, also the app's ORIGIN (form posts must send it as Origin). */
	url: string;
	db: DbHandle;
	/** A write key for ingest (`Authorization: Basic base64(key:)`). */
	writeKey: string;
	/** A signed-in session for `role`, as the `Cookie` header value. */
	sessionCookie(role: Role): Promise<string>;
	close(): Promise<void>;
};

/** The build is plain ESM with its own bundled copy of our modules: it shares nothing with the test but globalThis. */
const importBuilt = (url: string) => import(/* @vite-ignore */ url) as Promise<{ handler: Handler }>;

/** Builds once for every test process at a time: concurrent `vite build`s would empty build/ under each other. */
function buildOnce(): void {
	const lock = join(tmpdir(), 'omnicanal-web-build.lock');
	const deadline = Date.now() + 5 * 60_000;
	for (;;) {
		try {
			mkdirSync(lock);
			break;
		} catch {
			// A lock older than the deadline belongs to a crashed run.
			if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 5 * 60_000) rmdirSync(lock);
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
		}
	}
	try {
		buildWebIfStale(root, (m) => console.log(`[test app] ${m}`));
	} finally {
		rmdirSync(lock);
	}
}

/**
 * One server per test process: adapter-node reads ORIGIN once, when its handler is imported, so the port must
 * not change afterwards. Each `startApp` swaps the database behind it.
 */
let serving: Promise<{ url: string }> | undefined;
function serve(): Promise<{ url: string }> {
	serving ??= (async () => {
		buildOnce();
		let handler: Handler | undefined;
		const server: Server = createServer((req, res) => handler!(req, res));
		await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
		server.unref(); // never keeps the test process alive
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		process.env.ORIGIN = url;
		process.env.DATA_DIR = mkdtempSync(join(tmpdir(), 'omnicanal-app-')); // nothing under the repo's .data
		// Routing reaches the Temporal dev server of the global setup, as the product would.
		const temporal = inject('temporal');
		process.env.TEMPORAL_ADDRESS = temporal.address;
		process.env.TEMPORAL_NAMESPACE = temporal.namespace;
		({ handler } = await importBuilt(pathToFileURL(join(root, 'build', 'handler.js')).href));
		return { url };
	})();
	return serving;
}

export async function startApp(kind: TestDbKind): Promise<TestApp> {
	const { url } = await serve();
	const db = await freshDb(kind);
	const globals = globalThis as Globals;
	globals[DB_KEY] = Promise.resolve(db);
	delete globals[ROUTER_KEY]; // the router holds the previous database
	const { key } = await createApiKey(db.db, { name: 'test write key', kind: 'write', role: 'marketer' });
	return {
		url,
		db,
		writeKey: key,
		async sessionCookie(role) {
			const email = `${role}-${Math.random().toString(36).slice(2)}@test.local`;
			await createUser(db.db, { email, name: `Test ${role}`, role, password: 'test-password' });
			const session = await login(db.db, email, 'test-password');
			return `oc_session=${session!.token}`;
		},
		async close() {
			delete globals[DB_KEY];
			delete globals[ROUTER_KEY];
			const client = globals[TEMPORAL_KEY] as Promise<Client> | undefined;
			delete globals[TEMPORAL_KEY];
			await client?.then((c) => c.connection.close()).catch(() => {});
			await db.close();
		}
	};
}
