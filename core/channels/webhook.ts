import { createHmac, timingSafeEqual } from 'node:crypto';
import { httpError, isRetryableStatus, networkError, PermanentChannelError } from './errors';
import { BadRequestOptionsError, BlockedDestinationError, checkUserHeaders, safeRequest, type SafeResponse } from './safe-fetch';

/**
 * The journey's webhook step: a signed JSON POST. Receivers check `X-Omnicanal-Signature: t=<unix seconds>,
 * v1=<hex HMAC-SHA256 of "<t>.<body>">` (Stripe's scheme: the timestamp in the MAC defeats replays) and
 * dedupe on `Idempotency-Key`, which stays the same across our retries.
 */
export type WebhookCall = {
	url: string;
	/** A string is sent as is (a rendered Liquid template); anything else as JSON. */
	body: unknown;
	/** Signs the request when set (WEBHOOK_SIGNING_SECRET). */
	secret?: string;
	timeoutMs?: number;
	idempotencyKey: string;
	/** The marketer's headers (an API key for their CRM); hop-by-hop, Host and our own headers are refused. */
	headers?: Record<string, string>;
	now?: Date;
	/** Hosts that may resolve to private addresses; defaults to WEBHOOK_ALLOWED_HOSTS. */
	allowedHosts?: readonly string[];
};

/** The receiver's answer is never kept (it may carry anything): its status and size only. */
export type WebhookResult = { ok: true; status: number; size: number } | { ok: false; status: number; size: number; error: { code: string; message: string } };

export const SIGNATURE_HEADER = 'X-Omnicanal-Signature';

export function signWebhook(secret: string, body: string, timestamp: number): string {
	const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
	return `t=${timestamp},v1=${mac}`;
}

/** For receivers (and our tests): checks the signature and that it is at most `toleranceSec` old. */
export function verifyWebhookSignature(secret: string, body: string, header: string, nowSec: number, toleranceSec = 300): boolean {
	const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
	const t = Number(parts.t);
	if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSec - t) > toleranceSec) return false;
	const expected = Buffer.from(signWebhook(secret, body, t).split('v1=')[1]!, 'hex');
	const given = Buffer.from(parts.v1, 'hex');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

const OUR_HEADERS = ['content-type', 'user-agent', 'idempotency-key', SIGNATURE_HEADER.toLowerCase()];

/**
 * Calls the webhook through the SSRF guard (safe-fetch.ts): private, loopback and metadata addresses are
 * refused before connecting, redirects are not followed. 2xx → ok; other 4xx and 3xx → `ok: false`, not
 * worth retrying; 5xx, 408, 429, timeouts and network failures → TransientChannelError thrown, so Temporal
 * retries with the same Idempotency-Key; a refused destination or bad headers → PermanentChannelError.
 */
export async function callWebhook(call: WebhookCall): Promise<WebhookResult> {
	const body = typeof call.body === 'string' ? call.body : JSON.stringify(call.body ?? null);
	const timestamp = Math.floor((call.now ?? new Date()).getTime() / 1000);
	let response: SafeResponse;
	try {
		const headers: Record<string, string> = {
			...checkUserHeaders(call.headers, OUR_HEADERS),
			'content-type': 'application/json',
			'user-agent': 'Omnicanal-Webhook/1',
			'idempotency-key': call.idempotencyKey,
			...(call.secret ? { [SIGNATURE_HEADER.toLowerCase()]: signWebhook(call.secret, body, timestamp) } : {})
		};
		response = await safeRequest({ url: call.url, method: 'POST', headers, body, timeoutMs: call.timeoutMs ?? 10_000, allowedHosts: call.allowedHosts });
	} catch (err) {
		if (err instanceof BlockedDestinationError || err instanceof BadRequestOptionsError) {
			throw new PermanentChannelError(`webhook refused: ${err.message}`, { provider: 'webhook', code: err.code });
		}
		throw networkError('webhook', err) ?? err;
	}
	const { status, size } = response;
	if (status >= 200 && status < 300) return { ok: true, status, size };
	if (isRetryableStatus(status)) throw httpError('webhook', status, 'the receiver failed', { size });
	return { ok: false, status, size, error: { code: `http_${status}`, message: `webhook answered ${status}` } };
}
