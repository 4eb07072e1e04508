import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index';
import { preparingSmallStatements } from './prepared';

export type Schema = typeof schema;
/** The one database type the rest of the code sees, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DbTarget =
	| {
			kind: 'postgres';
			url: string;
			max?: number;
			statementTimeoutMs?: number;
			/** Named prepared statements for small queries (core/db/prepared.ts); false behind a transaction-mode pooler. */
			prepare?: boolean;
	  }
	| { kind: 'pglite'; dataDir?: string };

/**
 * Every wait on PostgreSQL has a deadline (seconds for the driver, milliseconds for the server): a dead or
 * restarting server fails a query in seconds instead of hanging the request that made it.
 */
export const POSTGRES_LIMITS = {
	/** TCP connect + startup; the driver's default (30 s) is what made requests hang through a restart. */
	connectTimeoutS: 2,
	/** Idle connections are closed, and every connection is replaced now and then (failovers, leaks). */
	idleTimeoutS: 30,
	maxLifetimeS: 30 * 60,
	/**
	 * Wait before reconnecting a closed connection, by the pool's count of failed attempts. The driver's default grows
	 * to 20 s, so after an outage queries kept waiting long after the server was back; capped at 1 s here.
	 */
	reconnectBackoffS: (retries: number) => Math.min(0.1 * 2 ** retries, 1),
	/** Generous for reports and migrations; an HTTP request has its own, shorter deadline (web/hooks.server.ts). */
	statementTimeoutMs: 30_000,
	lockTimeoutMs: 5_000,
	idleInTransactionTimeoutMs: 60_000
} as const;

export interface DbHandle {
	db: Db;
	kind: DbTarget['kind'];
	/** Round-trips `select 1`; used by the health check. */
	ping(): Promise<void>;
	close(): Promise<void>;
}

/** PostgreSQL when DATABASE_URL is set, else PGlite under DATA_DIR (in memory when dataDir is omitted). */
export function targetFromEnv(env: { DATABASE_URL?: string; DATABASE_PREPARE?: boolean; DATA_DIR: string }): DbTarget {
	return env.DATABASE_URL
		? { kind: 'postgres', url: env.DATABASE_URL, prepare: env.DATABASE_PREPARE ?? true }
		: { kind: 'pglite', dataDir: join(env.DATA_DIR, 'pglite') };
}

export async function openDb(target: DbTarget): Promise<DbHandle> {
	if (target.kind === 'postgres') {
		guardAgainstDriverCrash();
		const sqlClient = postgres(target.url, {
			max: target.max ?? 10,
			// Migrations' "already exists, skipping" notices are noise.
			onnotice: () => {},
			connect_timeout: POSTGRES_LIMITS.connectTimeoutS,
			idle_timeout: POSTGRES_LIMITS.idleTimeoutS,
			max_lifetime: POSTGRES_LIMITS.maxLifetimeS,
			backoff: POSTGRES_LIMITS.reconnectBackoffS,
			// Sent in the startup packet, so they hold on every connection, including re-established ones.
			connection: {
				application_name: 'omnicanal',
				statement_timeout: target.statementTimeoutMs ?? POSTGRES_LIMITS.statementTimeoutMs,
				lock_timeout: POSTGRES_LIMITS.lockTimeoutMs,
				idle_in_transaction_session_timeout: POSTGRES_LIMITS.idleInTransactionTimeoutMs
			}
		});
		const db = drizzlePostgres(preparingSmallStatements(sqlClient, target.prepare ?? true), { schema }) as unknown as Db;
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

/** Node's network errors and postgres-js's own connection errors that mean "the server is not there right now". */
const UNAVAILABLE_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EAI_AGAIN',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT'
]);

/**
 * SQLSTATEs of a server that is shutting down, starting up, full, or that gave up waiting for us (statement or
 * lock timeout): retrying later helps. Class 08 is "connection exception".
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '55P03']);

function causes(err: unknown): unknown[] {
	const chain: unknown[] = [];
	for (let e = err; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
	return chain;
}

/** True when `err` (or what it wraps: drizzle wraps driver errors) says the database is unavailable, not that a query is wrong. */
export function isDatabaseUnavailable(err: unknown): boolean {
	return causes(err).some((e) => {
		const code = (e as { code?: unknown }).code;
		if (typeof code !== 'string') return false;
		return UNAVAILABLE_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08');
	});
}

/**
 * postgres-js 3.4.x can throw from a `setImmediate` after a connection closed under it (`socket.write` on a null
 * socket, connection.js `nextWrite`; porsager/postgres #1154, fix proposed in #1168, unreleased). No caller can catch
 * it, and by then the query was already rejected with CONNECTION_CLOSED, so the error is harmless: this process-level
 * guard logs that one error and keeps the process alive. Anything else keeps Node's behaviour (print, exit 1) unless
 * another handler (a test runner) is listening.
 */
export function isKnownDriverCrash(err: unknown): boolean {
	// Matched by the driver's function name: bundlers (the web build) move the file but keep the name.
	return err instanceof TypeError && /reading 'write'/.test(err.message) && /^\s*at (?:\S+\.)?nextWrite \(/m.test(err.stack ?? '');
}

const GUARD_KEY = Symbol.for('omnicanal.postgres-crash-guard');

function guardAgainstDriverCrash(): void {
	const holder = globalThis as { [GUARD_KEY]?: true };
	if (holder[GUARD_KEY]) return;
	holder[GUARD_KEY] = true;
	const guard = (err: Error) => {
		if (isKnownDriverCrash(err)) {
			console.error(
				'postgres: ignored a write on an already closed connection (porsager/postgres #1154); the query had failed and will be retried by its caller'
			);
			return;
		}
		if (process.listenerCount('uncaughtException') > 1) return; // someone else reports it
		console.error(err);
		process.exit(1);
	};
	process.on('uncaughtException', guard);
}
