/**
 * Local HTTP fakes for tests: a server on a free port of 127.0.0.1 that reads each request whole, records it,
 * then lets the test answer. Used for providers' APIs (tests/core/channels) and the recording proxy in front of
 * Prism (prism.ts).
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeRequest = {
	method: string;
	/** Path and query as received. */
	path: string;
	headers: IncomingHttpHeaders;
	/** The whole body as text, and as received (for forwarding). */
	body: string;
	raw: Buffer;
};
export type FakeServer = { url: string; requests: FakeRequest[]; close(): Promise<void> };

/** A server answering with `answer` once each request's body has arrived; `requests` lists them in arrival order. */
export async function fakeServer(answer: (req: FakeRequest, res: ServerResponse) => void | Promise<void>): Promise<FakeServer> {
	const requests: FakeRequest[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: raw.toString(), raw };
			requests.push(recorded);
			void answer(recorded, res);
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

/** A port free right now, for a child process that must be told where to listen (Prism). */
export async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	server.close();
	await once(server, 'close');
	return port;
}
