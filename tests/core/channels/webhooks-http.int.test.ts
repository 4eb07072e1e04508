import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendGridWebhookResponse, twilioInboundResponse, twilioStatusResponse } from '../../../core/channels/webhooks/http';
import type { DbHandle } from '../../../core/db/client';
import { suppressions } from '../../../core/db/schema/customers';
import { messages } from '../../../core/db/schema/messages';
import { dbKinds, freshDb } from '../../helpers/db';
import { seedCustomer } from './fixtures';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PUBLIC_KEY = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const AUTH_TOKEN = 'twilio-auth-token';
const PUBLIC_URL = 'https://omni.example.com';

function sendGridRequest(events: unknown, opts: { tamper?: boolean; timestamp?: string } = {}): Request {
	const body = JSON.stringify(events);
	const timestamp = opts.timestamp ?? '1772359200';
	const signature = sign('sha256', Buffer.from(timestamp + body), privateKey).toString('base64');
	return new Request('http://internal:3000/api/v1/webhooks/sendgrid', {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': timestamp },
		body: opts.tamper ? body.replace('delivered', 'open') : body
	});
}

/** Twilio's scheme, written out: HMAC-SHA1(auth token, public URL + each sorted key and value), base64. */
function twilioRequest(path: string, params: Record<string, string>, token = AUTH_TOKEN): Request {
	const data =
		`${PUBLIC_URL}${path}` +
		Object.keys(params)
			.sort()
			.map((k) => k + params[k])
			.join('');
	const signature = createHmac('sha1', token).update(data).digest('base64');
	// The app sits behind a proxy: it sees an internal URL, Twilio signed the public one.
	return new Request(`http://internal:3000${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
		body: new URLSearchParams(params).toString()
	});
}

describe.each(dbKinds())('provider webhook endpoints on %s', (kind) => {
	let h: DbHandle;
	const statusOf = async (id: string) => (await h.db.select({ s: messages.status }).from(messages).where(eq(messages.id, id)))[0]?.s;
	const sgDeps = () => ({ db: h.db, publicKey: PUBLIC_KEY, now: () => new Date('2026-03-01T10:00:00Z') });
	const twDeps = () => ({ db: h.db, authToken: AUTH_TOKEN, publicUrl: PUBLIC_URL, helpText: 'Omnicanal: STOP to opt out.' });

	beforeAll(async () => {
		h = await freshDb(kind);
		await seedCustomer(h.db, 'ada', { email: 'ada@example.com', phone: '+33612345678' });
		const base = { customerId: 'ada', provider: 'x', body: 'hello', status: 'sent' as const };
		await h.db.insert(messages).values([
			{ ...base, id: 'm-email', idempotencyKey: 'k-email', channel: 'email', to: 'ada@example.com', providerMessageId: 'sg-1' },
			{ ...base, id: 'm-sms', idempotencyKey: 'k-sms', channel: 'sms', to: '+33612345678', providerMessageId: 'SM1', status: 'queued' }
		]);
	});
	afterAll(() => h.close());

	it('accepts a correctly signed SendGrid batch and rejects tampered, unsigned or unconfigured ones', async () => {
		const events = [
			{
				event: 'delivered',
				email: 'ada@example.com',
				sg_event_id: 'ev-1',
				sg_message_id: 'sg-1.filter',
				omnicanal_message_id: 'm-email',
				timestamp: 1772359200
			}
		];
		expect((await sendGridWebhookResponse(sendGridRequest(events, { tamper: true }), sgDeps())).status).toBe(401);
		expect(await statusOf('m-email')).toBe('sent');
		const unsigned = new Request('http://x/api/v1/webhooks/sendgrid', { method: 'POST', body: JSON.stringify(events) });
		expect((await sendGridWebhookResponse(unsigned, sgDeps())).status).toBe(401);
		expect((await sendGridWebhookResponse(sendGridRequest(events), { ...sgDeps(), publicKey: undefined })).status).toBe(503);

		const ok = await sendGridWebhookResponse(sendGridRequest(events), sgDeps());
		expect(ok.status).toBe(200);
		expect(await ok.json()).toEqual({ recorded: 1, duplicates: 0, unmatched: 0, ignored: 0 });
		expect(await statusOf('m-email')).toBe('delivered');
		expect(await (await sendGridWebhookResponse(sendGridRequest(events), sgDeps())).json()).toMatchObject({ duplicates: 1 });
		expect((await sendGridWebhookResponse(sendGridRequest({ not: 'an array' }), sgDeps())).status).toBe(400);

		await sendGridWebhookResponse(
			sendGridRequest([{ event: 'unsubscribe', email: 'ada@example.com', sg_event_id: 'ev-2', omnicanal_message_id: 'm-email' }]),
			sgDeps()
		);
		expect(await statusOf('m-email')).toBe('unsubscribed');
		expect((await h.db.select().from(suppressions).where(eq(suppressions.value, 'ada@example.com')))[0]?.reason).toBe('unsubscribe');
	});

	it('verifies X-Twilio-Signature against the public URL and records status callbacks', async () => {
		const path = '/api/v1/webhooks/twilio/status?m=m-sms';
		const params = { MessageSid: 'SM1', MessageStatus: 'delivered', AccountSid: 'AC1', To: '+33612345678' };
		expect((await twilioStatusResponse(twilioRequest(path, params, 'wrong-token'), twDeps())).status).toBe(403);
		expect((await twilioStatusResponse(twilioRequest(path, params), { ...twDeps(), publicUrl: undefined })).status).toBe(403);
		expect((await twilioStatusResponse(twilioRequest(path, params), { ...twDeps(), authToken: undefined })).status).toBe(503);
		const ok = await twilioStatusResponse(twilioRequest(path, params), twDeps());
		expect(ok.status).toBe(200);
		expect(await ok.json()).toEqual({ outcome: 'recorded' });
		expect(await statusOf('m-sms')).toBe('delivered');
	});

	it('answers inbound texts with TwiML: STOP suppresses silently, HELP replies, START re-subscribes', async () => {
		const path = '/api/v1/webhooks/twilio/inbound';
		const text = (Body: string, sid: string) => twilioRequest(path, { From: '+33612345678', To: '+14155552671', Body, MessageSid: sid });
		const stop = await twilioInboundResponse(text('STOP', 'SMa'), twDeps());
		expect(stop.response.headers.get('content-type')).toBe('text/xml; charset=utf-8');
		expect(await stop.response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
		expect(stop.eventIds).toHaveLength(1);
		expect((await h.db.select().from(suppressions).where(eq(suppressions.value, '+33612345678')))[0]?.reason).toBe('sms_stop');

		const help = await twilioInboundResponse(text('HELP', 'SMb'), twDeps());
		expect(await help.response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>Omnicanal: STOP to opt out.</Message></Response>');
		await twilioInboundResponse(text('start', 'SMc'), twDeps());
		expect(await h.db.select().from(suppressions).where(eq(suppressions.value, '+33612345678'))).toEqual([]);

		const forged = await twilioInboundResponse(twilioRequest(path, { From: '+33612345678', Body: 'STOP', MessageSid: 'SMd' }, 'guess'), twDeps());
		expect(forged.response.status).toBe(403);
		expect(await h.db.select().from(suppressions).where(eq(suppressions.value, '+33612345678'))).toEqual([]);
	});
});
