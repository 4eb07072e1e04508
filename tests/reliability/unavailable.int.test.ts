import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/temporal/dev-server';
import { startWeb, timedFetch, type Child } from './processes';

/** A TCP server that accepts and never says a word: the worst kind of "down" (no RST, no answer). */
async function blackHole(): Promise<{ port: number; close(): Promise<void> }> {
	const sockets = new Set<Socket>();
	const server: Server = createServer((s) => void sockets.add(s));
	const port = await freePort();
	await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
	return {
		port,
		close: () => {
			for (const s of sockets) s.destroy();
			return new Promise((ok) => server.close(() => ok()));
		}
	};
}

const writeKey = Buffer.from('oc_write_whatever:').toString('base64');

/**
 * The built web app (`node build`) with its database and Temporal unreachable, refused or silent: every request
 * answers 503 quickly, with Retry-After, in our JSON error shape for APIs and as the error page for pages — including
 * the API-key lookup in hooks.server.ts that runs before any handler — and SIGTERM still stops it cleanly.
 */
describe.each([
	{ name: 'refused', silent: false, limitMs: 2_000 },
	{ name: 'silent (no answer at all)', silent: true, limitMs: 4_500 } // connect timeouts: PostgreSQL 3 s
])('the web app when PostgreSQL and Temporal are $name', ({ silent, limitMs }) => {
	let web: Child & { url: string };
	let holes: Array<{ port: number; close(): Promise<void> }> = [];

	beforeAll(async () => {
		let dbPort: number;
		let temporalPort: number;
		if (silent) {
			holes = [await blackHole(), await blackHole()];
			[dbPort, temporalPort] = holes.map((h) => h.port) as [number, number];
		} else {
			[dbPort, temporalPort] = [await freePort(), await freePort()];
		}
		web = await startWeb({ DATABASE_URL: `postgres://postgres@127.0.0.1:${dbPort}/omnicanal`, TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}` });
	});
	afterAll(async () => {
		await web?.stop('SIGKILL');
		await Promise.all(holes.map((h) => h.close()));
	});

	it('answers APIs 503 + Retry-After in our error shape, within the deadline, even before a handler runs', async () => {
		for (const [path, init] of [
			['/api/v1/journeys', { headers: { authorization: 'Bearer oc_key_whatever' } }],
			[
				'/api/v1/track',
				{
					method: 'POST',
					headers: { authorization: `Basic ${writeKey}`, 'content-type': 'application/json' },
					body: JSON.stringify({ userId: 'u1', event: 'x' })
				}
			]
		] as const) {
			const res = await timedFetch(web.url + path, init);
			expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(503);
			expect(res.headers.get('retry-after')).toBe('5');
			expect(res.body).toMatchObject({ error: { code: 'service_unavailable', message: expect.any(String), details: { dependency: 'database' } } });
			expect(res.ms).toBeLessThan(limitMs);
		}
	});

	it('shows pages the friendly error page with 503', async () => {
		const res = await timedFetch(`${web.url}/journeys`, { headers: { accept: 'text/html', cookie: 'oc_session=whatever' } });
		expect(res.status).toBe(503);
		expect(res.headers.get('retry-after')).toBe('5');
		expect(res.headers.get('content-type')).toContain('text/html');
		expect(String(res.body)).toContain('cannot reach its database');
		expect(res.ms).toBeLessThan(limitMs);
	});

	it('reports health per component within 2 s', async () => {
		const res = await timedFetch(`${web.url}/api/v1/health`);
		expect(res.status).toBe(503);
		expect(res.body).toMatchObject({ ok: false, database: { ok: false }, temporal: { ok: false }, worker: { ok: false } });
		expect(res.ms).toBeLessThan(2_000);
	});

	it('is still alive, and SIGTERM stops it cleanly', async () => {
		expect(web.alive()).toBe(true);
		const { code, ms } = await web.stop('SIGTERM', 15_000);
		expect(code).toBe(0);
		expect(ms).toBeLessThan(10_000);
	});
});
