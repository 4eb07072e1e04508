import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Outbound HTTP to a URL a user typed (the journey's webhook step): a marketer must not be able to make the
 * worker call the cloud metadata service, a database admin page or anything else on our network.
 *
 * The address is checked where the socket is opened: IP literals before connecting, host names in the
 * `lookup` the socket itself uses, so the checked address is the one connected to (a DNS answer that changes
 * between a check and the connection — rebinding — cannot slip through). No redirects are followed, headers
 * are limited, and the answer's body is drained and counted, never kept.
 */

/** Loopback, private, link-local, carrier-grade NAT, ULA, multicast, reserved, and IPv6 forms embedding IPv4. */
const blocked = new BlockList();
for (const [net, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.0.2.0', 24],
	['192.88.99.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['198.51.100.0', 24],
	['203.0.113.0', 24],
	['224.0.0.0', 4],
	['240.0.0.0', 4]
] as const)
	blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
	['::', 128],
	['::1', 128],
	['100::', 64],
	['2001:db8::', 32],
	['fc00::', 7],
	['fe80::', 10],
	['fec0::', 10],
	['ff00::', 8],
	// 6to4 and Teredo tunnel to an IPv4 address of the sender's choosing
	['2002::', 16],
	['2001::', 32]
] as const)
	blocked.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible or NAT64 (64:ff9b::/96) IPv6 address. */
function embeddedIPv4(address: string): string | null {
	const lower = address.toLowerCase();
	const match = /^(?:::ffff:|::|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(lower);
	if (!match) return null;
	if (match[1]) return match[1];
	const hi = parseInt(match[2]!, 16);
	const lo = parseInt(match[3]!, 16);
	return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True for any address a user-controlled request must not reach. Anything that is not an IP is refused too. */
export function isBlockedAddress(address: string): boolean {
	const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
	const family = isIP(bare);
	if (family === 4) return blocked.check(bare, 'ipv4');
	if (family === 6) {
		const v4 = embeddedIPv4(bare);
		if (v4) return blocked.check(v4, 'ipv4');
		return blocked.check(bare, 'ipv6');
	}
	return true;
}

export class BlockedDestinationError extends Error {
	override name = 'BlockedDestinationError';
	readonly code = 'blocked_destination';
}

export class BadRequestOptionsError extends Error {
	override name = 'BadRequestOptionsError';
	readonly code = 'bad_request';
}

/** `WEBHOOK_ALLOWED_HOSTS`: comma-separated host names or IPs that may resolve to private addresses (an internal CRM; tests' local fakes). */
export function allowedHostsFromEnv(value = process.env.WEBHOOK_ALLOWED_HOSTS): string[] {
	return (value ?? '')
		.split(',')
		.map((h) =>
			h
				.trim()
				.toLowerCase()
				.replace(/^\[|\]$/g, '')
		)
		.filter(Boolean);
}

/** A `lookup` for the socket: resolves, then refuses the connection if any answer is a blocked address. */
export function guardedLookup(host: string, allowPrivate: boolean): LookupFunction {
	return (hostname, options, callback) => {
		dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
			if (err) return callback(err, '', 0);
			const bad = addresses.find((a) => isBlockedAddress(a.address));
			if (bad && !allowPrivate) {
				return callback(new BlockedDestinationError(`${host} resolves to ${bad.address}, a private or reserved address: refused`), '', 0);
			}
			if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
			const first = addresses[0];
			if (!first) return callback(Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' }), '', 0);
			callback(null, first.address, first.family);
		});
	};
}

/** Headers a user may not set: hop-by-hop and framing headers, and those we set ourselves. */
const forbiddenHeaders = new Set([
	'host',
	'connection',
	'keep-alive',
	'proxy-authorization',
	'proxy-authenticate',
	'proxy-connection',
	'te',
	'trailer',
	'transfer-encoding',
	'upgrade',
	'content-length',
	'content-encoding',
	'expect',
	'cookie',
	'forwarded',
	'x-forwarded-for',
	'x-forwarded-host',
	'x-real-ip'
]);
const MAX_HEADERS = 20;
const MAX_HEADER_VALUE = 2048;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

/** User-chosen headers, checked: at most 20, token names, no line breaks, none of the forbidden ones. */
export function checkUserHeaders(headers: Record<string, string> | undefined, reserved: readonly string[] = []): Record<string, string> {
	const entries = Object.entries(headers ?? {});
	if (entries.length > MAX_HEADERS) throw new BadRequestOptionsError(`at most ${MAX_HEADERS} headers`);
	const out: Record<string, string> = {};
	for (const [name, value] of entries) {
		const lower = name.toLowerCase();
		if (!TOKEN.test(name)) throw new BadRequestOptionsError(`header name "${name.slice(0, 64)}" is not valid`);
		if (forbiddenHeaders.has(lower) || reserved.includes(lower)) throw new BadRequestOptionsError(`header "${name}" cannot be set`);
		if (value.length > MAX_HEADER_VALUE || /[\r\n\0]/.test(value)) throw new BadRequestOptionsError(`header "${name}" is too long or has line breaks`);
		out[lower] = value;
	}
	return out;
}

export type SafeRequest = {
	url: string;
	method: 'POST' | 'GET';
	headers: Record<string, string>;
	body?: string;
	timeoutMs: number;
	/** Hosts that may resolve to private addresses; defaults to WEBHOOK_ALLOWED_HOSTS. */
	allowedHosts?: readonly string[];
	maxBodyBytes?: number;
};

/** What we keep of an answer: its status and size, never its body (it may carry anything). */
export type SafeResponse = { status: number; size: number };

const MAX_REQUEST_BODY = 512 * 1024;
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * One request, no redirects (a 3xx is returned as is), refused before any connection when the destination is
 * not allowed. Rejects with BlockedDestinationError, BadRequestOptionsError, or the network error.
 */
export async function safeRequest(req: SafeRequest): Promise<SafeResponse> {
	let url: URL;
	try {
		url = new URL(req.url);
	} catch {
		throw new BadRequestOptionsError('not a valid URL');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadRequestOptionsError('only http and https URLs');
	if (url.username || url.password) throw new BadRequestOptionsError('credentials in the URL are not allowed; use a header');
	const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
	const allowPrivate = (req.allowedHosts ?? allowedHostsFromEnv()).includes(host);
	if (isIP(host) && isBlockedAddress(host) && !allowPrivate) throw new BlockedDestinationError(`${host} is a private or reserved address: refused`);
	const body = req.body ?? '';
	if (Buffer.byteLength(body) > (req.maxBodyBytes ?? MAX_REQUEST_BODY))
		throw new BadRequestOptionsError(`the body is larger than ${req.maxBodyBytes ?? MAX_REQUEST_BODY} bytes`);

	const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
	return new Promise<SafeResponse>((resolve, reject) => {
		const request = send(
			url,
			{
				method: req.method,
				headers: { ...req.headers, 'content-length': String(Buffer.byteLength(body)) },
				lookup: guardedLookup(host, allowPrivate),
				agent: false, // a fresh socket per call: no pooled connection to an address checked for another host
				signal: AbortSignal.timeout(req.timeoutMs),
				maxHeaderSize: 16 * 1024
			},
			(response: IncomingMessage) => {
				let size = 0;
				response.on('data', (chunk: Buffer) => {
					size += chunk.length;
					if (size > MAX_ANSWER_BYTES) response.destroy();
				});
				const done = () => resolve({ status: response.statusCode ?? 0, size });
				response.on('end', done);
				response.on('close', done);
				response.on('error', () => done());
			}
		);
		request.on('error', (err) => reject(unwrap(err)));
		request.end(body);
	});
}

/** Node reports a refused lookup as the socket's error; keep our error's class. */
function unwrap(err: Error): Error {
	const cause = (err as { cause?: unknown }).cause;
	return cause instanceof BlockedDestinationError ? cause : err;
}
