import type { Db } from '../db/client';
import type { Principal } from './accounts';

/*
 * Write keys seen recently, so ingest — one request per event from browsers and servers — does not look its key up
 * in the database on every request. Only write keys: they are public by design and may only send events; secret
 * keys (the admin API, low volume) are always looked up. Revoking a key clears this process's cache at once; other
 * web processes stop accepting it within WRITE_KEY_CACHE_MS (README, Security).
 */

export const WRITE_KEY_CACHE_MS = 5_000;
/** Bounded: a flood of distinct keys cannot grow it (the oldest entry goes first). */
const MAX_ENTRIES = 10_000;

type Entry = { principal: Principal; until: number };
const byDb = new WeakMap<Db, Map<string, Entry>>();

export function cachedWriteKey(db: Db, keyHash: string, now = Date.now()): Principal | undefined {
	const cache = byDb.get(db);
	const hit = cache?.get(keyHash);
	if (!hit) return undefined;
	if (hit.until > now) return hit.principal;
	cache!.delete(keyHash);
	return undefined;
}

export function rememberWriteKey(db: Db, keyHash: string, principal: Principal, now = Date.now()): void {
	if (principal.kind !== 'key' || principal.keyKind !== 'write') return;
	let cache = byDb.get(db);
	if (!cache) byDb.set(db, (cache = new Map()));
	cache.delete(keyHash);
	cache.set(keyHash, { principal, until: now + WRITE_KEY_CACHE_MS });
	if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

/** After a revocation: nothing cached survives it in this process. */
export function forgetWriteKeys(db: Db): void {
	byDb.delete(db);
}
