import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from '../../../core/ingest/rate-limit';

describe('TokenBucketLimiter', () => {
	it('allows a burst of `capacity`, then refills at the given rate, per key', () => {
		let now = 0;
		const limiter = new TokenBucketLimiter(3, 2, () => now);
		expect([1, 2, 3, 4].map(() => limiter.take('a').ok)).toEqual([true, true, true, false]);
		expect(limiter.take('b').ok).toBe(true); // other keys have their own bucket
		expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
		now = 500; // half a second: one token back
		expect([limiter.take('a').ok, limiter.take('a').ok]).toEqual([true, false]);
		now = 60_000; // never above capacity
		expect([1, 2, 3, 4].map(() => limiter.take('a').ok)).toEqual([true, true, true, false]);
	});
	it('says how long to wait for the tokens a request costs', () => {
		const limiter = new TokenBucketLimiter(10, 0.5, () => 0);
		expect(limiter.take('k', 10).ok).toBe(true);
		expect(limiter.take('k', 2)).toEqual({ ok: false, retryAfterSeconds: 4 });
	});
});
