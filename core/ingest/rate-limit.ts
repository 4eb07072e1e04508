/** Bounds memory if something hands us unbounded keys; authenticated key ids are few in practice. */
const MAX_KEYS = 10_000;

export type Take = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Per-key token buckets in memory: `capacity` requests at once, refilled at `refillPerSecond`. Per process, so
 * N web processes allow N times the rate; enough to stop a runaway client, not a quota system.
 */
export class TokenBucketLimiter {
	private readonly buckets = new Map<string, { tokens: number; at: number }>();

	constructor(
		private readonly capacity: number,
		private readonly refillPerSecond: number,
		private readonly now: () => number = Date.now
	) {}

	take(key: string, cost = 1): Take {
		const t = this.now();
		const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: t };
		const tokens = Math.min(this.capacity, bucket.tokens + ((t - bucket.at) / 1000) * this.refillPerSecond);
		this.buckets.delete(key); // re-inserted below: Map order then tracks recency for eviction
		if (tokens < cost) {
			this.buckets.set(key, { tokens, at: t });
			return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - tokens) / this.refillPerSecond)) };
		}
		this.buckets.set(key, { tokens: tokens - cost, at: t });
		if (this.buckets.size > MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value!);
		return { ok: true };
	}
}
