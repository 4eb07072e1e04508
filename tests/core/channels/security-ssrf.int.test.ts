import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBlockedAddress, safeRequest } from '../../../core/channels/safe-fetch';
import { callWebhook } from '../../../core/channels/webhook';
import { fakeServer, type FakeServer } from './fixtures';

// Exploits from the 2026-11-30 review: the webhook step must not reach our own network. Every refused case is
// refused before a socket opens; the only server involved is a local fake on 127.0.0.1, reached through the
// allow-list, which also proves the refused calls never arrived.
describe('SSRF guard', () => {
	let server: FakeServer;
	let target: FakeServer;
	beforeAll(async () => {
		target = await fakeServer((_req, res) => {
			res.writeHead(200).end('redirect target');
		});
		server = await fakeServer((req, res) => {
			if (req.path.startsWith('/redirect')) res.writeHead(302, { location: `${target.url}/landed` }).end();
			else res.writeHead(200).end('a body we must not keep: secret-token-123');
		});
	});
	afterAll(async () => {
		await server.close();
		await target.close();
	});
	const port = () => new URL(server.url).port;
	const call = (url: string, allowedHosts: string[] = []) => callWebhook({ url, body: { a: 1 }, idempotencyKey: 'k', timeoutMs: 2000, allowedHosts });

	it('refuses loopback, private, link-local and metadata addresses before connecting', async () => {
		for (const host of [
			'127.0.0.1',
			'10.0.0.1',
			'169.254.169.254',
			'[::1]',
			'0.0.0.0',
			'[::ffff:127.0.0.1]',
			'[::ffff:a9fe:a9fe]',
			'2130706433',
			'192.168.1.1',
			'100.64.0.1',
			'[fd00::1]',
			'[fe80::1]'
		]) {
			await expect(call(`http://${host}:${port()}/hook`), host).rejects.toMatchObject({
				name: 'PermanentChannelError',
				retryable: false,
				info: { code: 'blocked_destination' }
			});
		}
		expect(server.requests).toHaveLength(0);
	});

	it('refuses a host name that resolves to loopback, at connect time', async () => {
		await expect(call(`http://localhost:${port()}/hook`)).rejects.toMatchObject({ name: 'PermanentChannelError', info: { code: 'blocked_destination' } });
		await expect(call(`http://localhost:${port()}/hook`)).rejects.toThrow(/localhost resolves to .*private or reserved address/);
		expect(server.requests).toHaveLength(0);
	});

	it('reaches a host on the allow-list, keeps the status and size but not the body', async () => {
		const result = await call(`${server.url}/hook`, ['127.0.0.1']);
		expect(result).toEqual({ ok: true, status: 200, size: 'a body we must not keep: secret-token-123'.length });
		expect(JSON.stringify(result)).not.toContain('secret-token');
		expect(await call(`http://localhost:${port()}/hook`, ['localhost'])).toMatchObject({ ok: true, status: 200 });
		expect(server.requests).toHaveLength(2);
	});

	it('does not follow a redirect', async () => {
		expect(await call(`${server.url}/redirect`, ['127.0.0.1'])).toMatchObject({ ok: false, status: 302, error: { code: 'http_302' } });
		expect(target.requests).toHaveLength(0);
	});

	it('refuses hop-by-hop, Host and our own headers, and credentials in the URL', async () => {
		for (const headers of [
			{ Host: 'internal.example' },
			{ 'Transfer-Encoding': 'chunked' },
			{ Connection: 'close' },
			{ 'X-Omnicanal-Signature': 'forged' },
			{ 'Idempotency-Key': 'x' },
			{ 'X-Bad': 'a\r\nInjected: 1' },
			Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v']))
		]) {
			await expect(
				callWebhook({ url: `${server.url}/hook`, body: {}, idempotencyKey: 'k', headers, allowedHosts: ['127.0.0.1'] }),
				JSON.stringify(headers)
			).rejects.toMatchObject({ name: 'PermanentChannelError', info: { code: 'bad_request' } });
		}
		await expect(call(`http://user:pass@127.0.0.1:${port()}/`, ['127.0.0.1'])).rejects.toMatchObject({ info: { code: 'bad_request' } });
		const before = server.requests.length;
		await callWebhook({
			url: `${server.url}/hook`,
			body: {},
			idempotencyKey: 'k',
			headers: { Authorization: 'Bearer crm-key', 'X-Api-Key': 'k' },
			allowedHosts: ['127.0.0.1']
		});
		expect(server.requests).toHaveLength(before + 1);
		expect(server.requests.at(-1)!.headers).toMatchObject({ authorization: 'Bearer crm-key', 'x-api-key': 'k' });
	});

	it('classifies addresses', () => {
		for (const blocked of [
			'127.0.0.1',
			'127.255.0.1',
			'10.1.2.3',
			'172.16.0.1',
			'172.31.255.255',
			'192.168.0.1',
			'169.254.169.254',
			'100.64.0.1',
			'0.0.0.0',
			'255.255.255.255',
			'::1',
			'::',
			'fc00::1',
			'fd12:3456::1',
			'fe80::1',
			'::ffff:10.0.0.1',
			'::ffff:7f00:1',
			'64:ff9b::a9fe:a9fe',
			'ff02::1',
			'not-an-ip'
		]) {
			expect(isBlockedAddress(blocked), blocked).toBe(true);
		}
		for (const open of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
			expect(isBlockedAddress(open), open).toBe(false);
	});

	it('reads WEBHOOK_ALLOWED_HOSTS when no list is given', async () => {
		const saved = process.env.WEBHOOK_ALLOWED_HOSTS;
		try {
			process.env.WEBHOOK_ALLOWED_HOSTS = ' hooks.internal , 127.0.0.1 ';
			expect(await safeRequest({ url: `${server.url}/hook`, method: 'POST', headers: {}, body: '{}', timeoutMs: 2000 })).toMatchObject({ status: 200 });
			process.env.WEBHOOK_ALLOWED_HOSTS = '';
			await expect(safeRequest({ url: `${server.url}/hook`, method: 'POST', headers: {}, body: '{}', timeoutMs: 2000 })).rejects.toMatchObject({
				name: 'BlockedDestinationError'
			});
		} finally {
			if (saved === undefined) delete process.env.WEBHOOK_ALLOWED_HOSTS;
			else process.env.WEBHOOK_ALLOWED_HOSTS = saved;
		}
	});
});
