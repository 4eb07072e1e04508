import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDb, type DbHandle } from '../../core/db/client';
import { migrate } from '../../core/db/migrate';
import { rowsOf } from '../../core/db/rows';
import { tempDir, undoOnExit } from './cleanup';

/** A fresh migrated database of the benchmark's own, removed at the end. */
export type BenchDb = {
	label: string;
	handle: DbHandle;
	/** PostgreSQL only: the connection string of the benchmark's own database, for other processes. */
	url?: string;
	/** What the figures depend on (version, durability settings). */
	describe(): Promise<string>;
	close(): Promise<void>;
};

/**
 * PGlite as the embedded default runs it: a data directory on disk (a fresh one under the OS temp dir, not the
 * repository's `.data`), so a commit writes files as it does in production.
 */
export async function openPgliteBench(): Promise<BenchDb> {
	const dataDir = tempDir(tmpdir(), 'omnicanal-bench-pglite-');
	let handle: DbHandle | undefined;
	const close = undoOnExit(async () => {
		// Interrupted mid-call, PGlite may take its time to close; the directory goes either way.
		await Promise.race([handle?.close().catch(() => {}), new Promise((ok) => setTimeout(ok, 3_000).unref())]);
		rmSync(dataDir, { recursive: true, force: true });
	});
	try {
		handle = await openDb({ kind: 'pglite', dataDir });
		await migrate(handle);
	} catch (err) {
		await close().catch(() => {});
		throw err;
	}
	const opened = handle;
	return {
		label: 'PGlite',
		handle: opened,
		async describe() {
			const [row] = rowsOf<{ v: string }>(await opened.db.execute(sql`select current_setting('server_version') as v`));
			return `PGlite (PostgreSQL ${row?.v ?? '?'} in WebAssembly), data dir on disk ${dataDir}`;
		},
		close
	};
}

/** A database of our own (`bench_ingest_<random>`) on the server `adminUrl` points at; dropped by `close`. */
export async function openPostgresBench(adminUrl: string): Promise<BenchDb> {
	const name = `bench_ingest_${randomBytes(4).toString('hex')}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	let handle: DbHandle | undefined;
	const drop = undoOnExit(async () => {
		await handle?.close().catch(() => {});
		await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.end({ timeout: 5 });
	});
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	try {
		await admin.unsafe(`create database ${name}`);
		// The product's pool size (openDb's default).
		handle = await openDb({ kind: 'postgres', url: url.toString() });
		await migrate(handle);
	} catch (err) {
		await drop().catch(() => {});
		throw err;
	}
	const opened = handle;
	return {
		label: 'PostgreSQL',
		handle: opened,
		url: url.toString(),
		async describe() {
			const [row] = rowsOf<{ v: string; fsync: string; sc: string }>(
				await opened.db.execute(
					sql`select current_setting('server_version') as v, current_setting('fsync') as fsync, current_setting('synchronous_commit') as sc`
				)
			);
			return `PostgreSQL ${row?.v ?? '?'} at ${url.host} (database ${name}; fsync=${row?.fsync}, synchronous_commit=${row?.sc})`;
		},
		close: drop
	};
}
