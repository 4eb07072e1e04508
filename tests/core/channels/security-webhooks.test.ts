import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../core/db/client';
import { sendGridWebhookResponse } from '../../../core/channels/webhooks/http';
import { isFreshSendGridTimestamp } from '../../../core/channels/webhooks/sendgrid';

// Exploit from the 2026-11-30 review: a captured, validly signed SendGrid batch replayed later must change nothing.
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PUBLIC_KEY = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

function signedRequest(timestamp: string): Request {
	const body = JSON.stringify([{ event: 'unsubscribe', email: 'ada@example.com', sg_event_id: 'ev-replay', omnicanal_message_id: 'm-1' }]);
	const signature = sign('sha256', Buffer.from(timestamp + body), privateKey).toString('base64');
	return new Request('http://x/api/v1/webhooks/sendgrid', {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/json', 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': timestamp }
	});
}

describe('SendGrid replay window', () => {
	const now = new Date('2026-11-30T12:00:00Z');
	const t = Math.floor(now.getTime() / 1000);

	it('refuses a validly signed batch older (or newer) than 5 minutes before touching the database', async () => {
		// No database: a refused request must not reach it.
		const deps = { db: undefined as unknown as Db, publicKey: PUBLIC_KEY, now: () => now };
		for (const stamp of [t - 301, t + 301, t - 86_400]) {
			const res = await sendGridWebhookResponse(signedRequest(String(stamp)), deps);
			expect(res.status).toBe(401);
			expect(await res.json()).toMatchObject({ error: { code: 'stale_signature' } });
		}
	});

	it('accepts timestamps inside the window only', () => {
		expect(isFreshSendGridTimestamp(String(t - 299), now)).toBe(true);
		expect(isFreshSendGridTimestamp(String(t + 60), now)).toBe(true);
		expect(isFreshSendGridTimestamp(String(t - 301), now)).toBe(false);
		expect(isFreshSendGridTimestamp('1e10', now)).toBe(false);
		expect(isFreshSendGridTimestamp('', now)).toBe(false);
	});
});
