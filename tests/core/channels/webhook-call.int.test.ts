import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callWebhook, verifyWebhookSignature } from '../../../core/channels/webhook';
import { fakeServer, type FakeServer } from './fixtures';

describe('webhook step', () => {
	let server: FakeServer;
	beforeAll(async () => {
		server = await fakeServer((req, res) => {
			const status = Number(new URL(req.path, 'http://x').searchParams.get('status') ?? 200);
			if (status === 0) return; // never answers
			res.writeHead(status, status === 302 ? { location: 'https://elsewhere.example' } : {}).end(JSON.stringify({ got: req.body.length }));
		});
	});
	afterAll(() => server.close());
	// The fake listens on 127.0.0.1, which the SSRF guard refuses unless allowed (see security-ssrf.int.test.ts).
	const allowedHosts = ['127.0.0.1'];

	it('POSTs signed JSON with the Idempotency-Key, and the receiver can verify it', async () => {
		const now = new Date('2026-03-01T10:00:00Z');
		const result = await callWebhook({
			url: `${server.url}/hook`,
			body: { customer: 'ada', offer: 'SPRING-7KQ4-M2XD' },
			secret: 'whsec',
			idempotencyKey: 'enr-1:hook:1',
			now,
			allowedHosts
		});
		expect(result).toEqual({ ok: true, status: 200, size: '{"got":45}'.length });
		const req = server.requests.at(-1)!;
		expect(req.method).toBe('POST');
		expect(req.headers['content-type']).toBe('application/json');
		expect(req.headers['idempotency-key']).toBe('enr-1:hook:1');
		expect(JSON.parse(req.body)).toEqual({ customer: 'ada', offer: 'SPRING-7KQ4-M2XD' });
		const signature = req.headers['x-omnicanal-signature'] as string;
		expect(signature).toMatch(/^t=1772359200,v1=[0-9a-f]{64}$/);
		expect(verifyWebhookSignature('whsec', req.body, signature, 1772359200 + 10)).toBe(true);
	});

	it('sends a rendered string body as is, unsigned without a secret', async () => {
		await callWebhook({ url: `${server.url}/raw`, body: '{"raw":true}', idempotencyKey: 'k', allowedHosts });
		expect(server.requests.at(-1)!.body).toBe('{"raw":true}');
		expect(server.requests.at(-1)!.headers).not.toHaveProperty('x-omnicanal-signature');
	});

	it('answers 4xx and redirects as not-ok, throws retryable errors for 5xx, 429 and timeouts', async () => {
		expect(await callWebhook({ url: `${server.url}/x?status=404`, body: {}, idempotencyKey: 'k', allowedHosts })).toMatchObject({
			ok: false,
			status: 404,
			error: { code: 'http_404' }
		});
		expect(await callWebhook({ url: `${server.url}/x?status=302`, body: {}, idempotencyKey: 'k', allowedHosts })).toMatchObject({ ok: false, status: 302 });
		await expect(callWebhook({ url: `${server.url}/x?status=502`, body: {}, idempotencyKey: 'k', allowedHosts })).rejects.toMatchObject({
			name: 'TransientChannelError',
			retryable: true,
			info: { status: 502 }
		});
		await expect(callWebhook({ url: `${server.url}/x?status=429`, body: {}, idempotencyKey: 'k', allowedHosts })).rejects.toMatchObject({
			name: 'TransientChannelError'
		});
		await expect(callWebhook({ url: `${server.url}/x?status=0`, body: {}, idempotencyKey: 'k', timeoutMs: 200, allowedHosts })).rejects.toMatchObject({
			name: 'TransientChannelError',
			info: { code: 'timeout' }
		});
		await expect(callWebhook({ url: 'http://127.0.0.1:1/refused', body: {}, idempotencyKey: 'k', allowedHosts })).rejects.toMatchObject({
			name: 'TransientChannelError'
		});
	});
});
