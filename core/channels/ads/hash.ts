import { createHash } from 'node:crypto';

/**
 * Ad networks match customers on SHA-256 of normalized identifiers, never the clear values. Both want
 * e-mails trimmed and lower-cased; for phones Meta wants digits only with the country code (no `+`),
 * Google wants E.164 with the `+`. Inputs here are already normalized (lower case, E.164).
 */
export function sha256Hex(value: string): string {
	return createHash('sha256').update(value, 'utf8').digest('hex');
}

export const metaEmailHash = (email: string) => sha256Hex(email.trim().toLowerCase());
export const metaPhoneHash = (e164: string) => sha256Hex(e164.replace(/\D/g, ''));
export const googleEmailHash = (email: string) => sha256Hex(email.trim().toLowerCase());
export const googlePhoneHash = (e164: string) => sha256Hex(`+${e164.replace(/\D/g, '')}`);
