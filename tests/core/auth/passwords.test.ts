import { scrypt as scryptCb, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { burnPasswordCheck, CURRENT_PARAMS, hashPassword, needsRehash, verifyPassword } from '../../../core/auth/passwords';
import { LoginThrottle, throttleMessage } from '../../../core/auth/throttle';

describe('password hashes', () => {
	it('stores scrypt parameters in the hash, at least N=2^17, r=8, p=1', async () => {
		const hash = await hashPassword('s3cret-enough');
		expect(hash).toMatch(/^scrypt\$N=131072,r=8,p=1\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
		expect(CURRENT_PARAMS.N).toBeGreaterThanOrEqual(2 ** 17);
		expect(await verifyPassword('s3cret-enough', hash)).toBe(true);
		expect(await verifyPassword('s3cret-enougH', hash)).toBe(false);
		expect(needsRehash(hash)).toBe(false);
	});

	it('still verifies hashes from before parameters were stored, and asks for a rehash', async () => {
		const salt = randomBytes(16);
		const key = await new Promise<Buffer>((ok, ko) => scryptCb('old-password', salt, 32, (e, k) => (e ? ko(e) : ok(k))));
		const legacy = `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
		expect(await verifyPassword('old-password', legacy)).toBe(true);
		expect(needsRehash(legacy)).toBe(true);
		expect(needsRehash(await hashPassword('x', { N: 2 ** 14, r: 8, p: 1 }))).toBe(true);
	});

	it('refuses tampered parameters instead of allocating what they ask for', async () => {
		expect(await verifyPassword('x', `scrypt$N=1073741824,r=8,p=1$${'00'.repeat(16)}$${'00'.repeat(32)}`)).toBe(false);
		expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
	});

	it('spends the same work on an unknown account as on a wrong password', async () => {
		const hash = await hashPassword('right');
		const time = async (f: () => Promise<unknown>) => {
			const t = performance.now();
			await f();
			return performance.now() - t;
		};
		await burnPasswordCheck('warm-up');
		const wrong = await time(() => verifyPassword('wrong', hash));
		const unknown = await time(() => burnPasswordCheck('wrong'));
		expect(unknown).toBeGreaterThan(wrong * 0.5);
		expect(unknown).toBeLessThan(wrong * 2 + 50);
	});
});

describe('login throttle', () => {
	it('refuses an account after 5 failures, from any address, and lets it try again as the bucket refills', () => {
		const t = new LoginThrottle();
		const now = 1_000_000;
		for (let i = 0; i < 5; i++) {
			expect(t.check(`10.0.0.${i}`, 'Ada@example.test', now)).toBeNull();
			t.failed(`10.0.0.${i}`, 'Ada@example.test', now);
		}
		const wait = t.check('10.9.9.9', 'ada@example.test', now);
		expect(wait).toBeGreaterThan(0);
		expect(throttleMessage(wait!)).toBe('Too many sign-in attempts. Try again in 3 minutes.');
		expect(t.check('10.9.9.9', 'bob@example.test', now)).toBeNull();
		expect(t.check('10.9.9.9', 'ada@example.test', now + 3 * 60_000)).toBeNull();
	});

	it('refuses an address spraying many accounts after 20 failures', () => {
		const t = new LoginThrottle();
		for (let i = 0; i < 20; i++) t.failed('203.0.113.7', `user${i}@example.test`, 0);
		expect(t.check('203.0.113.7', 'fresh@example.test', 0)).toBeGreaterThan(0);
		expect(t.check('203.0.113.8', 'fresh@example.test', 0)).toBeNull();
	});

	it('clears an account’s failures on success, not the address’s', () => {
		const t = new LoginThrottle();
		for (let i = 0; i < 4; i++) t.failed('1.2.3.4', 'ada@example.test', 0);
		t.succeeded('ada@example.test');
		for (let i = 0; i < 4; i++) t.failed('1.2.3.4', 'ada@example.test', 0);
		expect(t.check('1.2.3.4', 'ada@example.test', 0)).toBeNull();
	});
});
