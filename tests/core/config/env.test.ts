import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../../../core/config/env';

describe('loadEnv', () => {
	const saved = process.env.SEND_RATE_SMS;
	afterEach(() => {
		if (saved === undefined) delete process.env.SEND_RATE_SMS;
		else process.env.SEND_RATE_SMS = saved;
	});

	it('reuses the parse of process.env until a setting changes, and then sees the change', () => {
		delete process.env.SEND_RATE_SMS;
		const first = loadEnv();
		expect(loadEnv()).toBe(first);
		expect(Object.isFrozen(first)).toBe(true);
		process.env.SEND_RATE_SMS = '7/minute';
		const changed = loadEnv();
		expect(changed).not.toBe(first);
		expect(changed.SEND_RATE_SMS).toEqual(loadEnv({ SEND_RATE_SMS: '7/minute' }).SEND_RATE_SMS);
		// A variable that is not one of our settings does not count.
		process.env.OMNICANAL_UNRELATED_TEST_VARIABLE = 'x';
		expect(loadEnv()).toBe(changed);
		delete process.env.OMNICANAL_UNRELATED_TEST_VARIABLE;
	});

	it('still fails with every problem listed when a setting is invalid', () => {
		process.env.SEND_RATE_SMS = 'fast';
		expect(() => loadEnv()).toThrow(ConfigError);
		expect(() => loadEnv()).toThrow(/SEND_RATE_SMS/);
	});
});
