import { randomInt } from 'node:crypto';

/**
 * Codes are read aloud at a till and typed from an SMS, so the alphabet leaves out look-alikes
 * (0/O, 1/I/L) and U (accidental words). 30 symbols × 8 positions ≈ 6.6·10¹¹ codes per prefix: collisions
 * are rare and retried, and guessing one is impractical.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 2;
const GROUP_LEN = 4;

/** `SPRING-7KQ4-M2XD`, or `7KQ4-M2XD` without a prefix. Randomness from the CSPRNG: codes are bearer tokens. */
export function generateCode(prefix?: string): string {
	const groups: string[] = [];
	for (let g = 0; g < GROUPS; g++) {
		let group = '';
		for (let i = 0; i < GROUP_LEN; i++) group += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
		groups.push(group);
	}
	const p = prefix
		?.trim()
		.toUpperCase()
		.replace(/[^A-Z0-9-]/g, '')
		.replace(/^-+|-+$/g, '');
	return p ? `${p}-${groups.join('-')}` : groups.join('-');
}

/** What a person typed or a scanner read, in stored form: upper case, no surrounding or inner spaces. */
export function normalizeCode(input: string): string {
	return input.trim().toUpperCase().replace(/\s+/g, '');
}
