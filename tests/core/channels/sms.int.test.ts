import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxAudience, outboxEmail } from '../../../core/channels/outbox';
import { sendMessage, type SendMessageInput } from '../../../core/channels/send';
import { TwilioSmsProvider } from '../../../core/channels/twilio';
import type { Providers } from '../../../core/channels/types';
import type { DbHandle } from '../../../core/db/client';
import { suppressions } from '../../../core/db/schema/customers';
import { messages } from '../../../core/db/schema/messages';
import { grantOffer } from '../../../core/offers/grant';
import { dbKinds, freshDb } from '../../helpers/db';
import { prismFor, type PrismHandle } from '../../helpers/prism';
import { fakeServer, sendJson, seedCustomer, seedEnrollment, settings } from './fixtures';

const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;
const SERVICE = `MG${'fedcba9876543210'.repeat(2)}`;
const now = new Date('2026-03-01T10:00:00Z');

const providersWith = (sms: Providers['sms']): Providers => ({
	email: outboxEmail,
	sms,
	audiences: { meta: outboxAudience, google: outboxAudience },
	settings
});

const text = (over: Partial<SendMessageInput> = {}): SendMessageInput =>
	({
		idempotencyKey: `enr-2:sms-1:${randomUUID()}`,
		channel: 'sms',
		customerId: 'ada',
		enrollmentId: 'enr-2',
		nodeId: 'sms-1',
		sms: { body: 'Ada, your code {{ offer.code }} gives {{ offer.display }} in store. Reply STOP to opt out.' },
		now,
		...over
	}) as SendMessageInput;

describe('SMS through the Twilio SDK against its published contract (Prism)', () => {
	let prism: PrismHandle;
	beforeAll(async () => void (prism = await prismFor('twilio')));
	afterAll(() => prism?.stop());

	describe.each(dbKinds())('on %s', (kind) => {
		let h: DbHandle;
		beforeAll(async () => {
			h = await freshDb(kind);
			await seedCustomer(h.db, 'ada', { phone: '+33612345678', traits: { first_name: 'Ada' } });
			await seedEnrollment(h.db, 'enr-2', 'ada');
			await grantOffer(h.db, {
				grantKey: 'enr-2:grant',
				customerId: 'ada',
				enrollmentId: 'enr-2',
				title: 'Spring',
				kind: 'amount',
				value: 10,
				currency: 'EUR',
				validForMs: 86_400_000,
				codePrefix: 'STORE',
				now
			});
		});
		afterAll(() => h.close());

		it('sends through a Messaging Service with a status callback naming our message, once per key', async () => {
			const twilio = new TwilioSmsProvider({ accountSid: ACCOUNT, authToken: 'token', messagingServiceSid: SERVICE, baseUrl: prism.url });
			const providers = providersWith(twilio);
			const before = prism.requests.length;
			const input = text();
			const first = await sendMessage(h.db, providers, input);
			const again = await sendMessage(h.db, providers, input);
			const sent = prism.requests.slice(before);

			expect(sent).toHaveLength(1);
			expect(sent[0]).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, status: 201 });
			expect(sent[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:token`).toString('base64')}`);
			const form = new URLSearchParams(sent[0]!.body);
			expect(form.get('To')).toBe('+33612345678');
			expect(form.get('MessagingServiceSid')).toBe(SERVICE);
			expect(form.get('From')).toBeNull();
			expect(form.get('Body')).toMatch(/^Ada, your code STORE-[2-9A-Z]{4}-[2-9A-Z]{4} gives 10\.00 EUR in store\./);
			expect(form.get('StatusCallback')).toBe(`https://shop.example.test/api/v1/webhooks/twilio/status?m=${first.messageId}`);

			const sid = (JSON.parse(sent[0]!.response) as { sid: string }).sid;
			expect(first).toMatchObject({ outcome: 'sent', status: 'queued', provider: 'twilio', providerMessageId: sid, replayed: false });
			expect(again).toMatchObject({ outcome: 'sent', messageId: first.messageId, replayed: true });
			const [row] = await h.db.select().from(messages).where(eq(messages.id, first.messageId));
			expect(row!.meta).toMatchObject({ encoding: 'GSM-7', segments: expect.any(Number) });
		});

		it('sends from a fixed number, and computes UCS-2 segments for a long non-GSM body', async () => {
			const twilio = new TwilioSmsProvider({ accountSid: ACCOUNT, authToken: 'token', from: '+14155552671', baseUrl: prism.url });
			const before = prism.requests.length;
			const result = await sendMessage(h.db, providersWith(twilio), text({ sms: { body: `Ada 😀 ${'ć'.repeat(80)}` } }));
			const form = new URLSearchParams(prism.requests.at(-1)!.body);
			expect(prism.requests.length - before).toBe(1);
			expect(prism.requests.at(-1)!.status).toBe(201);
			expect(form.get('From')).toBe('+14155552671');
			expect(result.outcome).toBe('sent');
			const [row] = await h.db.select().from(messages).where(eq(messages.id, result.messageId));
			expect(row!.meta).toMatchObject({ encoding: 'UCS-2' });
		});

		it('fails permanently when the request breaks the contract (a malformed account SID)', async () => {
			const twilio = new TwilioSmsProvider({ accountSid: 'AC-too-short', authToken: 'token', messagingServiceSid: SERVICE, baseUrl: prism.url });
			const result = await sendMessage(h.db, providersWith(twilio), text());
			expect(prism.requests.at(-1)!.status).toBeGreaterThanOrEqual(400);
			expect(result).toMatchObject({ outcome: 'failed', error: { code: expect.stringMatching(/^(http|twilio)_\d+$/) } });
		});
	});
});

describe.each(dbKinds())('Twilio answers on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await freshDb(kind);
		await seedCustomer(h.db, 'ada', { phone: '+33612345678' });
		await seedEnrollment(h.db, 'enr-2', 'ada');
	});
	afterAll(() => h.close());

	it('suppresses a number Twilio reports as opted out (21610) and retries 5xx', async () => {
		let answer: 'opted-out' | 'down' = 'down';
		const server = await fakeServer((_req, res) =>
			answer === 'down'
				? sendJson(res, 500, { code: 20500, message: 'Internal Server Error', status: 500 })
				: sendJson(res, 400, { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 })
		);
		try {
			const providers = providersWith(new TwilioSmsProvider({ accountSid: ACCOUNT, authToken: 't', from: '+14155552671', baseUrl: server.url }));
			const input = text();
			await expect(sendMessage(h.db, providers, input)).rejects.toMatchObject({ name: 'TransientChannelError', info: { status: 500 } });
			answer = 'opted-out';
			expect(await sendMessage(h.db, providers, input)).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
			const [s] = await h.db
				.select()
				.from(suppressions)
				.where(and(eq(suppressions.channel, 'sms'), eq(suppressions.value, '+33612345678')));
			expect(s?.reason).toBe('provider_opt_out');
			expect(await sendMessage(h.db, providers, text())).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
			expect(server.requests).toHaveLength(2);
		} finally {
			await server.close();
		}
	});
});
