/**
 * Time spent in a step, kept as a histogram of log-spaced buckets so a median can be read from summed rollup
 * rows (an exact median would need every duration). Bucket 0 is under one second; bucket b ≥ 1 covers
 * [2^((b-1)/4), 2^(b/4)) seconds, so the bucket's geometric middle is within ±9% of any value in it.
 */
export function dwellBucket(ms: number): number {
	const s = ms / 1000;
	if (!(s >= 1)) return 0;
	return 1 + Math.floor(4 * Math.log2(s) + 1e-9);
}

export function bucketBoundsMs(bucket: number): { lo: number; hi: number } {
	if (bucket <= 0) return { lo: 0, hi: 1000 };
	return { lo: 1000 * 2 ** ((bucket - 1) / 4), hi: 1000 * 2 ** (bucket / 4) };
}

/** The median's bucket from (bucket → count): its bounds and a point estimate (geometric middle; 500 ms for bucket 0). */
export function medianFromBuckets(counts: ReadonlyMap<number, number>): { ms: number; lo: number; hi: number } | null {
	const total = [...counts.values()].reduce((a, b) => a + b, 0);
	if (total === 0) return null;
	const half = total / 2;
	let seen = 0;
	for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
		seen += counts.get(bucket) ?? 0;
		if (seen >= half) {
			const { lo, hi } = bucketBoundsMs(bucket);
			return { ms: bucket === 0 ? 500 : Math.sqrt(lo * hi), lo, hi };
		}
	}
	return null;
}
