import { createHmac, timingSafeEqual } from 'node:crypto';
import { httpError, isRetryableStatus, networkError } from './errors';
import type { FetchLike } from './http';

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
	headers?: Record<string, string>;
	now?: Date;
	fetch?: FetchLike;
};

export type WebhookResult =
	| { ok: true; status: number; body: string }
	| { ok: false; status: number; body: string; error: { code: string; message: string } };

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

const MAX_ANSWER = 4096;

/**
 * Calls the webhook. 2xx → ok; other 4xx (and 3xx: we do not follow redirects with a signed body) →
 * `ok: false`, not worth retrying; 5xx, 408, 429, timeouts and network failures → TransientChannelError
 * thrown, so Temporal retries with the same Idempotency-Key.
 */
export async function callWebhook(call: WebhookCall): Promise<WebhookResult> {
	const body = typeof call.body === 'string' ? call.body : JSON.stringify(call.body ?? null);
	const timestamp = Math.floor((call.now ?? new Date()).getTime() / 1000);
	const headers: Record<string, string> = {
		...call.headers,
		'content-type': 'application/json',
		'user-agent': 'Omnicanal-Webhook/1',
		'idempotency-key': call.idempotencyKey,
		...(call.secret ? { [SIGNATURE_HEADER.toLowerCase()]: signWebhook(call.secret, body, timestamp) } : {})
	};
	let response: Response;
	try {
		response = await (call.fetch ?? fetch)(call.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(call.timeoutMs ?? 10_000) });
	} catch (err) {
		throw networkError('webhook', err) ?? err;
	}
	const answer = (await response.text().catch(() => '')).slice(0, MAX_ANSWER);
	if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, body: answer };
	if (isRetryableStatus(response.status)) throw httpError('webhook', response.status, answer.slice(0, 200) || response.statusText);
	return { ok: false, status: response.status, body: answer, error: { code: `http_${response.status}`, message: `webhook answered ${response.status}` } };
}
