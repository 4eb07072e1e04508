/**
 * Sign-in throttling: token buckets per client IP and per account. Each failed attempt takes a token; an empty
 * bucket refuses further attempts until it refills. Per account stops guessing one person's password from many
 * addresses; per IP stops one address trying many accounts (password spraying).
 *
 * Kept in memory: right for the one process `npm start` and `node build` run. Several web processes behind a
 * load balancer each keep their own buckets (the limits multiply by the process count) until this moves to the
 * database.
 */
export type BucketPolicy = { capacity: number; refillPerMs: number };

type Bucket = { tokens: number; at: number };

export class TokenBuckets {
	private readonly buckets = new Map<string, Bucket>();
	constructor(
		private readonly policy: BucketPolicy,
		private readonly maxKeys = 100_000
	) {}

	private current(key: string, now: number): Bucket {
		const bucket = this.buckets.get(key);
		if (!bucket) return { tokens: this.policy.capacity, at: now };
		const tokens = Math.min(this.policy.capacity, bucket.tokens + (now - bucket.at) * this.policy.refillPerMs);
		return { tokens, at: now };
	}

	/** Milliseconds until one token is available; 0 when one is. */
	waitMs(key: string, now: number): number {
		const { tokens } = this.current(key, now);
		return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.policy.refillPerMs);
	}

	take(key: string, now: number): void {
		const bucket = this.current(key, now);
		bucket.tokens = Math.max(0, bucket.tokens - 1);
		if (!this.buckets.has(key) && this.buckets.size >= this.maxKeys) this.prune(now);
		this.buckets.set(key, bucket);
	}

	reset(key: string): void {
		this.buckets.delete(key);
	}

	/** Drops full buckets (they hold nothing); the map never grows without bound under a flood of addresses. */
	private prune(now: number): void {
		for (const key of this.buckets.keys()) if (this.current(key, now).tokens >= this.policy.capacity) this.buckets.delete(key);
		if (this.buckets.size >= this.maxKeys) this.buckets.clear();
	}
}

const MINUTE = 60_000;

/** 5 failed attempts per account, then one more every 3 minutes; 20 per IP, then one a minute. */
export class LoginThrottle {
	readonly perAccount = new TokenBuckets({ capacity: 5, refillPerMs: 1 / (3 * MINUTE) });
	readonly perIp = new TokenBuckets({ capacity: 20, refillPerMs: 1 / MINUTE });

	/** null when an attempt may go ahead, else how long to wait (ms). */
	check(ip: string, email: string, now = Date.now()): number | null {
		const wait = Math.max(this.perAccount.waitMs(email.toLowerCase(), now), this.perIp.waitMs(ip, now));
		return wait > 0 ? wait : null;
	}

	failed(ip: string, email: string, now = Date.now()): void {
		this.perAccount.take(email.toLowerCase(), now);
		this.perIp.take(ip, now);
	}

	/** A successful sign-in clears the account's failures (not the IP's: one good password must not reset spraying). */
	succeeded(email: string): void {
		this.perAccount.reset(email.toLowerCase());
	}
}

/** The web app's throttle (one per process). */
export const loginThrottle = new LoginThrottle();

/** "Too many sign-in attempts. Try again in 3 minutes." */
export function throttleMessage(waitMs: number): string {
	const minutes = Math.ceil(waitMs / MINUTE);
	return `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}
