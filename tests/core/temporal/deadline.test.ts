import { describe, expect, it } from 'vitest';
import { beforeDeadline, isTemporalUnavailable, TemporalDeadlineError } from '../../../core/temporal/connection';

describe('beforeDeadline (calls on the worker’s native connection)', () => {
	it('answers what the call answers, in time', async () => {
		expect(await beforeDeadline(Promise.resolve('started'), 1_000)).toBe('started');
		await expect(beforeDeadline(Promise.reject(new Error('wrong call')), 1_000)).rejects.toThrow('wrong call');
	});

	it('gives up after the deadline with an error routing counts as an outage, and drops what the call ends with later', async () => {
		let fail: (err: Error) => void = () => {};
		const hanging = new Promise<never>((_, reject) => (fail = reject));
		const unhandled: unknown[] = [];
		const onUnhandled = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', onUnhandled);
		try {
			const started = Date.now();
			const err = await beforeDeadline(hanging, 50).catch((e: unknown) => e);
			expect(err).toBeInstanceOf(TemporalDeadlineError);
			expect(isTemporalUnavailable(err)).toBe(true);
			expect(Date.now() - started).toBeGreaterThanOrEqual(45);
			fail(new Error('the server answered too late'));
			await new Promise((r) => setTimeout(r, 20));
			expect(unhandled).toEqual([]);
		} finally {
			process.off('unhandledRejection', onUnhandled);
		}
	});
});
