import { createHmac, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxAudience, outboxEmail, outboxSms } from '../../../core/channels/outbox';
import { sendMessage, type SendMessageInput } from '../../../core/channels/send';
import { sendTestMessage } from '../../../core/channels/test-send';
import type { Providers } from '../../../core/channels/types';
import { twilioInboundResponse, twilioStatusResponse } from '../../../core/channels/webhooks/http';
import { TwilioWhatsAppProvider } from '../../../core/channels/whatsapp';
import type { DbHandle } from '../../../core/db/client';
import { customers, suppressions } from '../../../core/db/schema/customers';
import { events } from '../../../core/db/schema/events';
import { messages } from '../../../core/db/schema/messages';
import { dbKinds, freshDb } from '../../helpers/db';
import { prismFor, type PrismHandle } from '../../helpers/prism';
import { seedCustomer, seedEnrollment, settings } from './fixtures';

/*
 * WhatsApp through the real Twilio SDK against Twilio's published API contract (Prism): free text inside the
 * 24-hour window that an inbound message (the signed inbound webhook) opens, the approved template outside it,
 * a skip with its reason when there is neither, STOP on WhatsApp leaving SMS alone, status callbacks, and
 * a retried send that never sends twice.
 */
const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'twilio-auth-token';
const FROM = '+14155238886';
const CONTENT_SID = `HX${'a1b2c3d4'.repeat(4)}`;
const BASE = 'https://shop.example.test';
const t0 = new Date('2026-03-01T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

function signed(path: string, params: Record<string, string>): Request {
	const url = `${BASE}${path}`;
	const data =
		url +
		Object.keys(params)
			.sort()
			.map((k) => k + params[k])
			.join('');
	const signature = createHmac('sha1', AUTH_TOKEN).update(data).digest('base64');
	return new Request(url, {
		method: 'POST',
		body: new URLSearchParams(params).toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }
	});
}

const inbound = (db: DbHandle['db'], from: string, body: string, now: Date) =>
	twilioInboundResponse(
		signed('/api/v1/webhooks/twilio/inbound', {
			From: `whatsapp:${from}`,
			To: `whatsapp:${FROM}`,
			Body: body,
			MessageSid: `SM${randomUUID().replace(/-/g, '')}`
		}),
		{
			db,
			authToken: AUTH_TOKEN,
			publicUrl: BASE,
			now: () => now
		}
	);

describe('WhatsApp through the Twilio SDK against its published contract (Prism)', () => {
	let prism: PrismHandle;
	beforeAll(async () => void (prism = await prismFor('twilio')));
	afterAll(() => prism?.stop());

	describe.each(dbKinds())('on %s', (kind) => {
		let h: DbHandle;
		let providers: Providers;
		const message = (
			over: Partial<SendMessageInput> & { whatsapp?: { body?: string; template?: { contentSid: string; variables?: Record<string, string> } } } = {}
		) =>
			({
				idempotencyKey: `enr-wa:wa-1:${randomUUID()}`,
				channel: 'whatsapp',
				customerId: 'ada',
				enrollmentId: 'enr-wa',
				nodeId: 'wa-1',
				whatsapp: { body: 'Hi {{ customer.first_name }}, your basket is still here.' },
				now: at(10),
				...over
			}) as SendMessageInput;
		const lastRequest = () => new URLSearchParams(prism.requests.at(-1)!.body);

		beforeAll(async () => {
			h = await freshDb(kind);
			await seedCustomer(h.db, 'ada', { phone: '+33612345678', traits: { first_name: 'Ada' } });
			await seedCustomer(h.db, 'bob', { phone: '+33698765432', traits: { first_name: 'Bob' } });
			await seedEnrollment(h.db, 'enr-wa', 'ada');
			const whatsapp = new TwilioWhatsAppProvider({ accountSid: ACCOUNT, authToken: AUTH_TOKEN, from: FROM, baseUrl: prism.url });
			providers = { email: outboxEmail, sms: outboxSms, whatsapp, audiences: { meta: outboxAudience, google: outboxAudience }, settings };
		});
		afterAll(() => h.close());

		it('skips with a reason, never sends, when the window is closed and the step has no template', async () => {
			const before = prism.requests.length;
			const result = await sendMessage(h.db, providers, message());
			expect(result).toMatchObject({ outcome: 'skipped', reason: 'outside_24h_window', channel: 'whatsapp' });
			expect(prism.requests.length).toBe(before);
			const [row] = await h.db.select().from(messages).where(eq(messages.id, result.messageId));
			expect(row).toMatchObject({ status: 'skipped', error: 'outside_24h_window', to: 'whatsapp:+33612345678' });
		});

		it('sends the approved template (ContentSid + ContentVariables) outside the window', async () => {
			const before = prism.requests.length;
			const result = await sendMessage(
				h.db,
				providers,
				message({ whatsapp: { body: 'Free text', template: { contentSid: CONTENT_SID, variables: { '1': '{{ customer.first_name }}', '2': 'basket' } } } })
			);
			expect(prism.requests.length - before).toBe(1);
			expect(prism.requests.at(-1)!.status).toBe(201);
			const form = lastRequest();
			expect(form.get('To')).toBe('whatsapp:+33612345678');
			expect(form.get('From')).toBe(`whatsapp:${FROM}`);
			expect(form.get('ContentSid')).toBe(CONTENT_SID);
			expect(JSON.parse(form.get('ContentVariables')!)).toEqual({ '1': 'Ada', '2': 'basket' });
			expect(form.get('Body')).toBeNull();
			expect(form.get('StatusCallback')).toBe(`${BASE}/api/v1/webhooks/twilio/status?m=${result.messageId}`);
			expect(result).toMatchObject({ outcome: 'sent', status: 'queued', provider: 'twilio' });
			const [row] = await h.db.select().from(messages).where(eq(messages.id, result.messageId));
			expect(row!.meta).toMatchObject({ mode: 'template', lastInboundAt: null });
		});

		it('records an inbound message (signed webhook) and then sends free text inside the 24-hour window, once per key', async () => {
			const { response, eventIds } = await inbound(h.db, '+33612345678', 'Is the blue one back?', at(0));
			expect(response.status).toBe(200);
			expect(eventIds).toHaveLength(1);
			const [event] = await h.db.select().from(events).where(eq(events.id, eventIds[0]!));
			expect(event).toMatchObject({ name: 'whatsapp_received', customerId: 'ada' });

			const input = message({ whatsapp: { body: 'Hi {{ customer.first_name }}, yes: in stock.', template: { contentSid: CONTENT_SID } }, now: at(60) });
			const before = prism.requests.length;
			const first = await sendMessage(h.db, providers, input);
			const again = await sendMessage(h.db, providers, input);
			expect(prism.requests.length - before).toBe(1);
			const form = lastRequest();
			expect(form.get('Body')).toBe('Hi Ada, yes: in stock.');
			expect(form.get('ContentSid')).toBeNull();
			expect(first).toMatchObject({ outcome: 'sent', replayed: false });
			expect(again).toMatchObject({ outcome: 'sent', messageId: first.messageId, replayed: true });
			const [row] = await h.db.select().from(messages).where(eq(messages.id, first.messageId));
			expect(row!.meta).toMatchObject({ mode: 'session', lastInboundAt: at(0).toISOString() });

			// 24 hours after the customer's message the window has closed: free text alone is skipped again.
			const late = await sendMessage(h.db, providers, message({ now: at(24 * 60 + 1) }));
			expect(late).toMatchObject({ outcome: 'skipped', reason: 'outside_24h_window' });
		});

		it('updates delivery status from signed status callbacks, forward only', async () => {
			await inbound(h.db, '+33612345678', 'hello', at(100));
			const sent = await sendMessage(h.db, providers, message({ now: at(101) }));
			const sid = (await h.db.select().from(messages).where(eq(messages.id, sent.messageId)))[0]!.providerMessageId!;
			const status = (s: string) =>
				twilioStatusResponse(signed(`/api/v1/webhooks/twilio/status?m=${sent.messageId}`, { MessageSid: sid, MessageStatus: s, To: 'whatsapp:+33612345678' }), {
					db: h.db,
					authToken: AUTH_TOKEN,
					publicUrl: BASE
				});
			expect(await (await status('read')).json()).toEqual({ outcome: 'recorded' });
			expect(await (await status('delivered')).json()).toEqual({ outcome: 'recorded' });
			const [row] = await h.db.select().from(messages).where(eq(messages.id, sent.messageId));
			expect(row!.status).toBe('opened');
		});

		it('STOP on WhatsApp opts the number out of WhatsApp only; START lets it back in', async () => {
			const stop = await inbound(h.db, '+33698765432', 'stop', at(200));
			expect(await stop.response.text()).toContain('no longer get WhatsApp messages');
			const rows = await h.db.select().from(suppressions).where(eq(suppressions.value, '+33698765432'));
			expect(rows.map((r) => r.channel)).toEqual(['whatsapp']);
			const [bob] = await h.db.select({ consent: customers.consent }).from(customers).where(eq(customers.id, 'bob'));
			expect(bob!.consent.whatsapp).toMatchObject({ granted: false, source: 'whatsapp_stop' });
			expect(bob!.consent.sms).toBeUndefined();

			// Inside the window (the STOP itself was a message) and with consent off: skipped, nothing sent.
			const before = prism.requests.length;
			const wa = await sendMessage(h.db, providers, message({ customerId: 'bob', enrollmentId: undefined, now: at(201) }));
			expect(wa).toMatchObject({ outcome: 'skipped', reason: 'no_consent' });
			const transactional = await sendMessage(h.db, providers, message({ customerId: 'bob', enrollmentId: undefined, purpose: 'transactional', now: at(201) }));
			expect(transactional).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
			expect(prism.requests.length).toBe(before);
			// SMS to the same number still goes.
			const sms = await sendMessage(h.db, providers, {
				idempotencyKey: `sms:${randomUUID()}`,
				channel: 'sms',
				customerId: 'bob',
				sms: { body: 'Your order is ready' },
				now: at(202)
			});
			expect(sms).toMatchObject({ outcome: 'sent' });

			await inbound(h.db, '+33698765432', 'START', at(210));
			const back = await sendMessage(h.db, providers, message({ customerId: 'bob', enrollmentId: undefined, now: at(211) }));
			expect(back).toMatchObject({ outcome: 'sent' });
			expect(
				await h.db
					.select()
					.from(suppressions)
					.where(and(eq(suppressions.channel, 'whatsapp'), eq(suppressions.value, '+33698765432')))
			).toHaveLength(0);
		});

		it('test-sends a WhatsApp step to a typed number: the text marked [Test], or the template when there is no text', async () => {
			const node = { id: 'wa-1', type: 'sendWhatsApp' as const, body: 'Hi {{ customer.first_name }}' };
			const text = await sendTestMessage(h.db, providers, { node, to: '+33 6 12 34 56 78', journeyId: 'j-spring', requestedBy: 'tester', now: at(300) });
			expect(text).toMatchObject({ channel: 'whatsapp', provider: 'twilio', to: 'whatsapp:+33612345678' });
			expect(lastRequest().get('Body')).toBe('[Test] Hi Ada');
			const templated = { id: 'wa-2', type: 'sendWhatsApp' as const, template: { contentSid: CONTENT_SID, variables: { '1': '{{ customer.first_name }}' } } };
			await sendTestMessage(h.db, providers, { node: templated, to: '+33612345678', journeyId: 'j-spring', requestedBy: 'tester', now: at(301) });
			expect(lastRequest().get('ContentSid')).toBe(CONTENT_SID);
			expect(JSON.parse(lastRequest().get('ContentVariables')!)).toEqual({ '1': 'Ada' });
			const [row] = await h.db.select().from(messages).where(eq(messages.id, text.messageId));
			expect(row).toMatchObject({ enrollmentId: null, journeyId: null, body: '[Test] Hi Ada' });
		});

		it('refuses an inbound WhatsApp webhook without a valid signature', async () => {
			const forged = new Request(`${BASE}/api/v1/webhooks/twilio/inbound`, {
				method: 'POST',
				body: new URLSearchParams({ From: 'whatsapp:+33612345678', Body: 'STOP', MessageSid: 'SMforged' }).toString(),
				headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'bad' }
			});
			const { response } = await twilioInboundResponse(forged, { db: h.db, authToken: AUTH_TOKEN, publicUrl: BASE });
			expect(response.status).toBe(403);
		});
	});
});
