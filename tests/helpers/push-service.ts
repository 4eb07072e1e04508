/**
 * A local push service (RFC 8030) for web push tests: an HTTPS server (a throw-away self-signed certificate, as
 * `web-push` only speaks https) that does what a browser vendor's push service does with a request before it
 * accepts it, with node:crypto only:
 * - verifies the VAPID authorization (RFC 8292): `vapid t=<JWT>, k=<public key>`, an ES256 signature under `k`,
 *   `aud` = the endpoint's origin, `exp` in the future and within 24 h, a `sub` contact;
 * - decrypts the aes128gcm payload (RFC 8188 + RFC 8291) as the browser would, with the subscription's private
 *   key and auth secret: ECDH P-256, HKDF-SHA256, AES-128-GCM, padding delimiter.
 * It answers 201 with a Location, or what a test scripted for the endpoint (410 when the browser unsubscribed).
 * `subscribe()` plays the browser: a fresh key pair and auth secret, and the PushSubscription JSON to hand over.
 */
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, randomUUID, verify, type ECDH } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type ReceivedPush = {
	endpoint: string;
	/** The decrypted payload, parsed as JSON (our service worker's format). */
	payload: unknown;
	claims: { aud: string; exp: number; sub: string };
	/** The VAPID public key the push was signed for (base64url), `k=` of the Authorization header. */
	vapidKey: string;
	ttl: number;
	urgency: string | null;
};

export type BrowserSubscription = { endpoint: string; keys: { p256dh: string; auth: string } };

export type PushService = {
	url: string;
	/** Trusts the service's certificate: pass to the WebPushProvider (`agent`). */
	agent: Agent;
	received: ReceivedPush[];
	/** Requests refused, with why (a bad signature, an undecryptable payload…). */
	refused: Array<{ endpoint: string; status: number; why: string }>;
	subscribe(): BrowserSubscription;
	/** The next pushes to `endpoint` answer `status` (410: the browser unsubscribed; 500: the service is down; 201: back to normal). */
	answer(endpoint: string, status: number): void;
	close(): Promise<void>;
};

type Browser = { ecdh: ECDH; auth: Buffer };

function selfSigned(): { key: Buffer; cert: Buffer } {
	const dir = mkdtempSync(join(tmpdir(), 'push-service-'));
	try {
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'ec',
				'-pkeyopt',
				'ec_paramgen_curve:prime256v1',
				'-nodes',
				'-days',
				'1',
				'-subj',
				'/CN=127.0.0.1',
				'-addext',
				'subjectAltName=IP:127.0.0.1',
				'-keyout',
				join(dir, 'key.pem'),
				'-out',
				join(dir, 'cert.pem')
			],
			{ stdio: 'ignore' }
		);
		return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const b64url = (b: Buffer) => b.toString('base64url');

/** An uncompressed P-256 point (0x04 ‖ x ‖ y) as a KeyObject. */
function p256PublicKey(point: Buffer) {
	if (point.length !== 65 || point[0] !== 4) throw new Error('k= is not an uncompressed P-256 public key');
	return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33)) }, format: 'jwk' });
}

/** RFC 8292 §3: `vapid t=<jwt>, k=<key>`; the JWT signed ES256 (raw r‖s) by the key `k`. */
export function verifyVapid(authorization: string, endpointOrigin: string, nowSeconds: number): { claims: ReceivedPush['claims']; vapidKey: string } {
	const match = /^vapid\s+t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization.trim());
	if (!match) throw new Error(`Authorization is not "vapid t=…, k=…": ${authorization.slice(0, 40)}`);
	const [, jwt, k] = match as unknown as [string, string, string];
	const [header, body, signature] = jwt.split('.');
	if (!header || !body || !signature) throw new Error('the JWT has not three parts');
	const alg = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string }).alg;
	if (alg !== 'ES256') throw new Error(`JWT alg ${alg}, expected ES256`);
	const ok = verify(
		'sha256',
		Buffer.from(`${header}.${body}`),
		{ key: p256PublicKey(Buffer.from(k, 'base64url')), dsaEncoding: 'ieee-p1363' },
		Buffer.from(signature, 'base64url')
	);
	if (!ok) throw new Error('the VAPID signature does not verify under k=');
	const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as ReceivedPush['claims'];
	if (claims.aud !== endpointOrigin) throw new Error(`aud ${claims.aud} is not the endpoint's origin ${endpointOrigin}`);
	if (!(claims.exp > nowSeconds)) throw new Error('the JWT has expired');
	if (claims.exp > nowSeconds + 24 * 3600) throw new Error('exp is more than 24 hours ahead');
	if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) throw new Error('sub is not a mailto: or https: contact');
	return { claims, vapidKey: k };
}

/** RFC 8291 + RFC 8188: decrypts one aes128gcm record as the user agent. */
export function decryptAes128gcm(body: Buffer, browser: Browser): Buffer {
	const salt = body.subarray(0, 16);
	const rs = body.readUInt32BE(16);
	const idlen = body[20]!;
	const asPublic = body.subarray(21, 21 + idlen);
	const record = body.subarray(21 + idlen);
	if (idlen !== 65) throw new Error(`keyid is ${idlen} bytes, expected the sender's 65-byte public key`);
	if (record.length > rs) throw new Error('more than one record');
	const uaPublic = browser.ecdh.getPublicKey();
	const ecdhSecret = browser.ecdh.computeSecret(asPublic);
	const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
	const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, browser.auth, keyInfo, 32));
	const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
	const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
	const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
	decipher.setAuthTag(record.subarray(record.length - 16));
	const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
	// The last record ends with the delimiter 0x02, then zero padding.
	let end = padded.length - 1;
	while (end >= 0 && padded[end] === 0) end--;
	if (padded[end] !== 2) throw new Error('no last-record padding delimiter');
	return padded.subarray(0, end);
}

export async function startPushService(): Promise<PushService> {
	const { key, cert } = selfSigned();
	const browsers = new Map<string, Browser>();
	const scripted = new Map<string, number>();
	const received: ReceivedPush[] = [];
	const refused: PushService['refused'] = [];
	let origin = '';
	const server = createServer({ key, cert }, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const endpoint = `${origin}${req.url ?? ''}`;
			const refuse = (status: number, why: string) => {
				refused.push({ endpoint, status, why });
				res.writeHead(status, { 'content-type': 'text/plain' });
				res.end(why);
			};
			const browser = browsers.get(endpoint);
			if (req.method !== 'POST' || !browser) return refuse(404, 'no such subscription');
			const status = scripted.get(endpoint);
			if (status !== undefined) return refuse(status, `scripted ${status}`);
			let vapid: ReturnType<typeof verifyVapid>;
			try {
				vapid = verifyVapid(String(req.headers.authorization ?? ''), origin, Math.floor(Date.now() / 1000));
			} catch (err) {
				return refuse(403, (err as Error).message);
			}
			if (req.headers['content-encoding'] !== 'aes128gcm') return refuse(415, `Content-Encoding ${req.headers['content-encoding']}`);
			const ttl = Number(req.headers.ttl);
			if (!Number.isInteger(ttl)) return refuse(400, 'TTL header missing');
			let payload: unknown;
			try {
				payload = JSON.parse(decryptAes128gcm(Buffer.concat(chunks), browser).toString('utf8'));
			} catch (err) {
				return refuse(400, `payload: ${(err as Error).message}`);
			}
			received.push({ endpoint, payload, ...vapid, ttl, urgency: (req.headers.urgency as string | undefined) ?? null });
			res.writeHead(201, { location: `${origin}/messages/${randomUUID()}` });
			res.end();
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const agent = new Agent({ ca: cert, keepAlive: false });
	return {
		url: origin,
		agent,
		received,
		refused,
		subscribe() {
			const ecdh = createECDH('prime256v1');
			ecdh.generateKeys();
			const auth = randomBytes(16);
			const endpoint = `${origin}/push/${randomUUID()}`;
			browsers.set(endpoint, { ecdh, auth });
			return { endpoint, keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) } };
		},
		answer(endpoint, status) {
			if (status === 201) scripted.delete(endpoint);
			else scripted.set(endpoint, status);
		},
		close: () =>
			new Promise((done) => {
				agent.destroy();
				server.closeAllConnections();
				server.close(() => done());
			})
	};
}
