import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Unsubscribe links carry a signed claim, so one click works without signing in and nobody can forge a
 * link for someone else. HMAC-SHA256 with APP_SECRET, under its own label so the same secret's session
 * signatures can never be replayed as unsubscribe tokens.
 */
export type UnsubscribeClaim = { customerId: string; channel: 'email' | 'sms' | 'whatsapp' | 'push'; messageId?: string };
const CLAIM_CHANNELS: readonly unknown[] = ['email', 'sms', 'whatsapp', 'push'] satisfies UnsubscribeClaim['channel'][];

const LABEL = 'omnicanal:unsubscribe:v1:';

function mac(secret: string, payload: string): Buffer {
	return createHmac('sha256', secret)
		.update(LABEL + payload)
		.digest();
}

export function unsubscribeToken(secret: string, claim: UnsubscribeClaim): string {
	const payload = Buffer.from(JSON.stringify({ c: claim.customerId, ch: claim.channel, ...(claim.messageId ? { m: claim.messageId } : {}) })).toString(
		'base64url'
	);
	return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

export function readUnsubscribeToken(secret: string, token: string): UnsubscribeClaim | null {
	const [payload, sig, extra] = token.split('.');
	if (!payload || !sig || extra !== undefined) return null;
	const expected = mac(secret, payload);
	const given = Buffer.from(sig, 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
	try {
		const raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { c?: unknown; ch?: unknown; m?: unknown };
		if (typeof raw.c !== 'string' || !CLAIM_CHANNELS.includes(raw.ch)) return null;
		return { customerId: raw.c, channel: raw.ch as UnsubscribeClaim['channel'], ...(typeof raw.m === 'string' ? { messageId: raw.m } : {}) };
	} catch {
		return null;
	}
}

export function unsubscribeUrl(publicUrl: string, secret: string, claim: UnsubscribeClaim): string {
	return `${publicUrl.replace(/\/+$/, '')}/unsubscribe/${unsubscribeToken(secret, claim)}`;
}
