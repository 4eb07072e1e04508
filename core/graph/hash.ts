import { HOLDOUT_BRANCH } from './branches';

/**
 * Stable hashing for A/B assignment. Spelled out byte by byte so that the same customer lands in
 * the same variant in workflow replays, in SQL reports or in any other language: FNV-1a 32-bit
 * over the UTF-8 bytes, then murmur3's finaliser, because FNV alone mixes the last characters of
 * sequential ids ("cust-1", "cust-2"…) poorly into the high bits that pick the variant.
 */

function utf8Bytes(input: string): number[] {
	const bytes: number[] = [];
	for (const ch of input) {
		const c = ch.codePointAt(0) ?? 0;
		if (c < 0x80) bytes.push(c);
		else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
		else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
		else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
	}
	return bytes;
}

/** FNV-1a, 32-bit, over UTF-8. */
export function fnv1a32(input: string): number {
	let h = 0x811c9dc5;
	for (const b of utf8Bytes(input)) h = Math.imul(h ^ b, 0x01000193);
	return h >>> 0;
}

/** murmur3 fmix32: every input bit flips each output bit with probability ~½. */
function fmix32(h: number): number {
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}

/** Unsigned 32-bit hash of a string. */
export function hash32(input: string): number {
	return fmix32(fnv1a32(input));
}

/** The point in [0, 1) that customer `customerId` gets at split `nodeId`. */
export function splitPoint(customerId: string, nodeId: string): number {
	return hash32(`${nodeId}\n${customerId}`) / 2 ** 32;
}

/**
 * The branch for a customer: `HOLDOUT_BRANCH` for the first `holdoutPercent` of the hash range,
 * else a variant id chosen in proportion to the weights over the rest of the range. Pure: the
 * same inputs always give the same variant.
 */
export function pickVariant(customerId: string, nodeId: string, variants: readonly { id: string; weight: number }[], holdoutPercent = 0): string {
	const point = splitPoint(customerId, nodeId);
	const holdout = Math.min(Math.max(holdoutPercent, 0), 100) / 100;
	if (point < holdout) return HOLDOUT_BRANCH;
	const usable = variants.filter((v) => v.weight > 0);
	const last = usable[usable.length - 1];
	if (!last) throw new Error(`Split ${nodeId} has no variant with a positive weight`);
	// Rescale what is left after the holdout back to [0, 1) so weights keep their proportions.
	let target = ((point - holdout) / (1 - holdout)) * usable.reduce((sum, v) => sum + v.weight, 0);
	for (const v of usable) {
		if (target < v.weight) return v.id;
		target -= v.weight;
	}
	return last.id; // floating-point rounding at the very top of the range
}
