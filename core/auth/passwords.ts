import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt with its cost stored beside each hash — `scrypt$N=131072,r=8,p=1$<salt hex>$<hash hex>` — so the cost
 * can be raised later without locking anyone out: a hash with older parameters still verifies and is replaced
 * at the next sign-in (`needsRehash`). Hashes from before parameters were stored (`scrypt$<salt>$<hash>`) used
 * Node's defaults (N=2^14, r=8, p=1).
 *
 * N=2^17, r=8 is OWASP's recommended minimum: about 128 MiB and a few hundred milliseconds per hash, which is
 * what makes a stolen hash expensive to guess; Node refuses that much memory unless `maxmem` is raised.
 */
export type ScryptParams = { N: number; r: number; p: number };

export const CURRENT_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const LEGACY_PARAMS: ScryptParams = { N: 2 ** 14, r: 8, p: 1 };
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, length: number, params: ScryptParams): Promise<Buffer> {
	const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 16 * 1024 * 1024 };
	return new Promise((resolve, reject) => scryptCb(password, salt, length, options, (err, key) => (err ? reject(err) : resolve(key))));
}

type Parsed = { params: ScryptParams; salt: Buffer; hash: Buffer };

function parse(stored: string): Parsed | null {
	const parts = stored.split('$');
	if (parts[0] !== 'scrypt') return null;
	if (parts.length === 3) return { params: LEGACY_PARAMS, salt: Buffer.from(parts[1]!, 'hex'), hash: Buffer.from(parts[2]!, 'hex') };
	if (parts.length !== 4) return null;
	const fields = Object.fromEntries(parts[1]!.split(',').map((kv) => kv.split('=', 2) as [string, string]));
	const params = { N: Number(fields.N), r: Number(fields.r), p: Number(fields.p) };
	// Refuse absurd parameters from a tampered row rather than allocate whatever it asks for.
	if (
		![params.N, params.r, params.p].every(Number.isInteger) ||
		params.N < 2 ||
		params.N > 2 ** 20 ||
		params.r < 1 ||
		params.r > 32 ||
		params.p < 1 ||
		params.p > 16
	)
		return null;
	return { params, salt: Buffer.from(parts[2]!, 'hex'), hash: Buffer.from(parts[3]!, 'hex') };
}

export async function hashPassword(password: string, params: ScryptParams = CURRENT_PARAMS): Promise<string> {
	const salt = randomBytes(16);
	const hash = await scrypt(password, salt, KEY_LENGTH, params);
	return `scrypt$N=${params.N},r=${params.r},p=${params.p}$${salt.toString('hex')}$${hash.toString('hex')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const parsed = parse(stored);
	if (!parsed || parsed.hash.length === 0) return false;
	const actual = await scrypt(password, parsed.salt, parsed.hash.length, parsed.params);
	return timingSafeEqual(actual, parsed.hash);
}

/** True when the hash was made with weaker parameters than today's: rehash it once the password is known. */
export function needsRehash(stored: string): boolean {
	const parsed = parse(stored);
	return !parsed || parsed.params.N < CURRENT_PARAMS.N || parsed.params.r < CURRENT_PARAMS.r || parsed.params.p < CURRENT_PARAMS.p;
}

let dummy: Promise<string> | undefined;

/**
 * Verifies against a throwaway hash with today's parameters: a sign-in for an unknown or disabled e-mail costs
 * the same time as a wrong password, so the answer's timing does not tell which e-mails have an account.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
	await verifyPassword(password, await (dummy ??= hashPassword(randomBytes(16).toString('hex'))));
	return false;
}
