import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { jsonParam } from '../db/rows';

/** A transaction handle; also a `Db`, so read helpers accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Serializes transactions that touch the same identifiers or message ids (hashed advisory locks, taken in one
 * sorted statement so two batches cannot lock in opposite orders). PostgreSQL orders the sort before the volatile
 * lock calls in the select list.
 */
export async function lockKeys(tx: Tx, keys: readonly string[]): Promise<void> {
	if (keys.length === 0) return;
	await tx.execute(sql`
		select pg_advisory_xact_lock(k) from (
			select distinct hashtextextended(v, 0) as k from jsonb_array_elements_text(${jsonParam([...new Set(keys)])}) as v
		) s order by k`);
}

// Deadlock, serialization failure, and a unique violation lost to a concurrent writer: all succeed on a retry.
const RETRYABLE = new Set(['40P01', '40001', '23505']);

function sqlState(err: unknown): string | undefined {
	for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
		e = (e as { cause?: unknown }).cause; // drizzle wraps driver errors in DrizzleQueryError
	}
	return undefined;
}

/** Runs `fn` in a transaction, retrying the whole of it when PostgreSQL says a retry would succeed. */
export async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, attempts = 4): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await db.transaction(fn);
		} catch (err) {
			const state = sqlState(err);
			if (attempt >= attempts || !state || !RETRYABLE.has(state)) throw err;
			await new Promise((r) => setTimeout(r, 5 * attempt * Math.random()));
		}
	}
}
