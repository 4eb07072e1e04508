/** Shared test fixtures for the channel suites: customers, settings and local fake HTTP servers. */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../../core/db/client';
import { customers, identities, type ConsentChannel, type ConsentState } from '../../../core/db/schema/customers';
import type { ChannelSettings } from '../../../core/channels/types';

export const settings: ChannelSettings = {
	publicUrl: 'https://shop.example.test',
	appSecret: 'test-app-secret',
	emailFrom: 'Omnicanal Shop <shop@example.com>',
	statusCallbacks: true
};

export async function seedCustomer(
	db: Db,
	id: string,
	opts: { email?: string; phone?: string; traits?: Record<string, unknown>; consent?: Partial<Record<ConsentChannel, ConsentState>> } = {}
): Promise<void> {
	await db.insert(customers).values({ id, traits: { ...(opts.email ? { email: opts.email } : {}), ...opts.traits }, consent: opts.consent ?? {} });
	if (opts.email) await db.insert(identities).values({ kind: 'email', value: opts.email.toLowerCase(), customerId: id });
	if (opts.phone) await db.insert(identities).values({ kind: 'phone', value: opts.phone, customerId: id });
}

export type FakeRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string };
export type FakeServer = { url: string; requests: FakeRequest[]; close(): Promise<void> };

/** A local HTTP server answering with `handler` and recording each request (with its full body). */
export async function fakeServer(handler: (req: FakeRequest, res: ServerResponse) => void | Promise<void>): Promise<FakeServer> {
	const requests: FakeRequest[] = [];
	const server = createServer((req: IncomingMessage, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
			requests.push(recorded);
			void handler(recorded, res);
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise((done) => {
				server.closeAllConnections();
				server.close(() => done());
			})
	};
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}
