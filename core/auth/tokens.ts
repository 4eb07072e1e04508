import { createHash, randomBytes } from 'node:crypto';

/** Random, URL-safe secret with a readable prefix (`oc_write_…`, `oc_secret_…`, `oc_sess_…`). */
export function newToken(prefix: string): string {
	return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

/** Tokens are stored only as SHA-256: a leaked table does not leak credentials. */
export function sha256Hex(value: string): string {
	return createHash('sha256').update(value).digest('hex');
}
