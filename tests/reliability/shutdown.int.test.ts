import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import type {} from '../helpers/temporal'; // ProvidedContext['temporal']
import { startWeb, startWorker, timedFetch } from './processes';

/**
 * Production processes stop within a bounded time on SIGTERM/SIGINT and exit 0: the web app (`node build`: adapter-node
 * stops accepting, finishes requests in flight, then `sveltekit:shutdown` closes our pools) and the standalone worker
 * (`worker/main.ts`: Worker.shutdown lets activities in flight finish, then the sweep, loops and pools close).
 */
describe('graceful shutdown', () => {
	const temporalEnv = () => {
		const t = inject('temporal');
		return { TEMPORAL_ADDRESS: t.address, TEMPORAL_NAMESPACE: t.namespace, TEMPORAL_TASK_QUEUE: `rel-${randomUUID().slice(0, 8)}` };
	};

	it.each(['SIGTERM', 'SIGINT'] as const)('the web app exits 0 within 5 s of %s, with its pools open', async (signal) => {
		const web = await startWeb(temporalEnv());
		// Open the database and the Temporal connection, and keep an HTTP connection alive. A cold first request on a
		// busy machine may run past the request deadline (503 `deadline`): ask again until both are open.
		let res = await timedFetch(`${web.url}/api/v1/health`);
		for (let tries = 1; tries < 10 && (res.body as { error?: unknown }).error !== undefined; tries++) {
			await new Promise((r) => setTimeout(r, 500));
			res = await timedFetch(`${web.url}/api/v1/health`);
		}
		expect([200, 503]).toContain(res.status);
		expect(res.body).toMatchObject({ database: { ok: true }, temporal: { ok: true } });
		const { code, ms } = await web.stop(signal, 20_000);
		console.log(`[shutdown] web exited ${code} ${Math.round(ms)} ms after ${signal}`);
		expect(code).toBe(0);
		expect(ms).toBeLessThan(5_000);
	});

	it('the worker exits 0 within 15 s of SIGTERM', async () => {
		const worker = await startWorker(temporalEnv());
		const { code, ms } = await worker.stop('SIGTERM', 40_000);
		console.log(`[shutdown] worker exited ${code} ${Math.round(ms)} ms after SIGTERM`);
		expect(code, worker.output()).toBe(0);
		expect(ms).toBeLessThan(15_000);
	});
});
