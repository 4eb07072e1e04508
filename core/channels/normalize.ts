import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** E-mail as stored and compared everywhere (suppressions, identities, ad hashing): trimmed, lower case. */
export function normalizeEmail(raw: string): string | null {
	const email = raw.trim().toLowerCase();
	return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null;
}

/** Phone in E.164 (`+33612345678`), or null when it cannot be a real number. */
export function normalizePhone(raw: string, defaultCountry?: CountryCode): string | null {
	const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry);
	return parsed?.isValid() ? parsed.number : null;
}
