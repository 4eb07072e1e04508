import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Identifiers are join keys: two channels only meet on one profile if they spell the same person the same way.
 * Values longer than this are not identifiers (and would not fit a btree index entry).
 */
export const MAX_IDENTIFIER_LENGTH = 512;

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Trimmed and lower-cased; null when it is not an address at all. Local parts are case-insensitive in practice. */
export function normalizeEmail(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	const email = raw.trim().toLowerCase();
	return email.length <= 320 && EMAIL.test(email) ? email : null;
}

/** A supported ISO 3166 alpha-2 region (`fr` → `FR`), else null. */
export function toRegion(raw: unknown): CountryCode | null {
	if (typeof raw !== 'string') return null;
	const code = raw.trim().toUpperCase();
	return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code) ? code : null;
}

/** The region of a BCP 47 locale (`fr-FR`, `en_US`), else null. */
export function regionFromLocale(locale: unknown): CountryCode | null {
	if (typeof locale !== 'string') return null;
	const parts = locale.split(/[-_]/);
	return parts.length > 1 ? toRegion(parts[parts.length - 1]) : null;
}

/**
 * E.164 (`+14155550100`), reading national numbers in `region`; null when it cannot be a phone number.
 * "Possible" (right length for the region) rather than "valid": stores type fictional 555 numbers in demos and
 * metadata lags new number ranges, and a wrongly rejected number would silently split a profile.
 */
export function normalizePhone(raw: unknown, region: CountryCode = 'US'): string | null {
	if (typeof raw !== 'string' && typeof raw !== 'number') return null;
	const text = String(raw).trim();
	if (text.length === 0 || text.length > 64) return null;
	const phone = parsePhoneNumberFromString(text, region);
	return phone?.isPossible() ? phone.number : null;
}

/** Ids (`userId`, `anonymousId`, loyalty and click ids) are case-sensitive: only surrounding spaces go. */
export function normalizeId(raw: unknown): string | null {
	if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) return null;
	const id = String(raw).trim();
	return id.length > 0 && id.length <= MAX_IDENTIFIER_LENGTH ? id : null;
}

/** An IANA zone this runtime knows (`Europe/Paris`); quiet hours are computed in it, so a typo must not stick. */
export function normalizeTimeZone(raw: unknown): string | null {
	if (typeof raw !== 'string' || raw.length === 0 || raw.length > 64) return null;
	try {
		return new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
	} catch {
		return null;
	}
}
