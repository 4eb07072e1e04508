import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index';

export type Schema = typeof schema;
/** The one database type the rest of the code sees, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DbTarget = { kind: 'postgres'; url: string; max?: number } | { kind: 'pglite'; dataDir?: string };

export interface DbHandle {
	db: Db;
	kind: DbTarget['kind'];
	/** Round-trips `select 1`; used by the health check. */
	ping(): Promise<void>;
	close(): Promise<void>;
}

/** PostgreSQL when DATABASE_URL is set, else PGlite under DATA_DIR (in memory when dataDir is omitted). */
export function targetFromEnv(env: { DATABASE_URL?: string; DATA_DIR: string }): DbTarget {
	return env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: join(env.DATA_DIR, 'pglite') };
}

export async function openDb(target: DbTarget): Promise<DbHandle> {
	if (target.kind === 'postgres') {
		// `onnotice` silenced: migrations' "already exists, skipping" notices are noise.
		const sqlClient = postgres(target.url, { max: target.max ?? 10, onnotice: () => {} });
		const db = drizzlePostgres(sqlClient, { schema }) as unknown as Db;
		return {
			db,
			kind: 'postgres',
			ping: async () => void (await sqlClient`select 1`),
			close: () => sqlClient.end({ timeout: 5 })
		};
	}
	if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
	const client = await PGlite.create(target.dataDir ? { dataDir: target.dataDir } : {});
	const db = drizzlePglite(client, { schema }) as unknown as Db;
	return {
		db,
		kind: 'pglite',
		ping: async () => void (await client.query('select 1')),
		close: () => client.close()
	};
}

/**
 * One handle per process. PGlite's data directory can be opened by one client only, and in the embedded
 * default the web app (bundled by Vite) and the worker share a process but not module instances, so the
 * handle lives on globalThis rather than in a module variable.
 */
const KEY = Symbol.for('omnicanal.db');
type Holder = { [KEY]?: Promise<DbHandle> };

export function sharedDb(target: DbTarget): Promise<DbHandle> {
	const holder = globalThis as Holder;
	holder[KEY] ??= openDb(target);
	return holder[KEY];
}

/** Makes an already open handle the process's shared one (tests hand the app a fresh database this way). */
export function registerSharedDb(handle: DbHandle): void {
	(globalThis as Holder)[KEY] = Promise.resolve(handle);
}

export async function closeSharedDb(): Promise<void> {
	const holder = globalThis as Holder;
	const pending = holder[KEY];
	delete holder[KEY];
	if (pending) await (await pending).close();
}
