import { createHmac } from 'node:crypto';

/**
 * The key of the keyed hashes that replace an erased person's addresses where we must still recognise them
 * (suppressions: a STOP or a bounce outlives the erasure). PRIVACY_HASH_KEY, which `npm start` generates and keeps
 * under DATA_DIR/secrets; without it a one-way derivation of APP_SECRET. Rotating the key (or APP_SECRET without
 * PRIVACY_HASH_KEY) makes the hashed suppressions stop matching, so keep it with the database's backups.
 * Read from process.env at call time, as `npm start` sets the generated secrets after parsing the environment.
 */
export function privacyHashKey(env: Record<string, string | undefined> = process.env): string | null {
	if (env.PRIVACY_HASH_KEY) return env.PRIVACY_HASH_KEY;
	return env.APP_SECRET ? createHmac('sha256', env.APP_SECRET).update('omnicanal privacy hash key').digest('base64url') : null;
}

/** Marks stored hashes apart from clear addresses in the same column. */
export const HASH_PREFIX = 'hmac:';

/** HMAC-SHA256 of an already normalized address, per channel: the same address on e-mail and SMS hashes apart. */
export function keyedHash(key: string, channel: string, value: string): string {
	return HASH_PREFIX + createHmac('sha256', key).update(`${channel}\u0000${value}`).digest('hex');
}
