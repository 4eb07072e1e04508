/**
 * The load generator's HTTP client: node:http with keep-alive sockets. It runs in the benchmark's process beside
 * the app it measures, so its own CPU counts against ours: with fetch (undici: WHATWG streams, an AbortSignal and
 * a Request per call) the process spent 1.9–2.4 ms of CPU per single-event call at 16 clients, with node:http
 * 1.4–1.6 ms. A real client runs on another machine.
 */
import { Agent, request } from 'node:http';

export type Posted = { status: number; text: string };
export type HttpPoster = { post(path: string, headers: Record<string, string>, body: string): Promise<Posted>; close(): void };

export function httpPoster(
	baseUrl: string,
	sockets: number
): { post(path: string, headers: Record<string, string>, body: string): Promise<Posted>; close(): void } {
	const base = new URL(baseUrl);
	const agent = new Agent({ keepAlive: true, maxSockets: sockets });
	return {
		post(path, headers, body) {
			return new Promise((ok, fail) => {
				const req = request(
					{
						host: base.hostname,
						port: base.port,
						path,
						method: 'POST',
						agent,
						headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }
					},
					(res) => {
						const chunks: Buffer[] = [];
						res.on('data', (c: Buffer) => chunks.push(c));
						res.on('end', () => ok({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
						res.on('error', fail);
					}
				);
				req.on('error', fail);
				req.end(body);
			});
		},
		close: () => agent.destroy()
	};
}
