import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxAudience, outboxSms } from '../../../core/channels/outbox';
import { SendGridEmailProvider } from '../../../core/channels/sendgrid';
import { sendMessage, type SendMessageInput } from '../../../core/channels/send';
import type { Providers } from '../../../core/channels/types';
import { readUnsubscribeToken } from '../../../core/channels/unsubscribe';
import type { DbHandle } from '../../../core/db/client';
import { customers, suppressions } from '../../../core/db/schema/customers';
import { messages } from '../../../core/db/schema/messages';
import { grantOffer } from '../../../core/offers/grant';
import { dbKinds, freshDb } from '../../helpers/db';
import { prismFor, type PrismHandle } from '../../helpers/prism';
import { fakeServer, seedCustomer, seedEnrollment, settings } from './fixtures';

type MailBody = {
	from: { email: string; name?: string };
	subject: string;
	headers: Record<string, string>;
	personalizations: Array<{ to: Array<{ email: string }>; custom_args: Record<string, string> }>;
	content: Array<{ type: string; value: string }>;
};

const now = new Date('2026-03-01T10:00:00Z');

function providersWith(email: Providers['email']): Providers {
	return { email, sms: outboxSms, audiences: { meta: outboxAudience, google: outboxAudience }, settings };
}

const spring = (over: Partial<SendMessageInput> = {}): SendMessageInput =>
	({
		idempotencyKey: `enr-1:email-1:${randomUUID()}`,
		channel: 'email',
		customerId: 'ada',
		journeyId: 'j-spring',
		enrollmentId: 'enr-1',
		nodeId: 'email-1',
		event: { product: 'Red shoes' },
		email: {
			subject: 'Still thinking about {{ event.product }}, {{ customer.first_name }}?',
			html: '<p>Hi {{ customer.first_name }}, take {{ offer.display }} off with <b>{{ offer.code }}</b>.</p><a href="{{ links.unsubscribe }}">unsubscribe</a>',
			text: 'Hi {{ customer.first_name }}, take {{ offer.display }} off with {{ offer.code }}.'
		},
		now,
		...over
	}) as SendMessageInput;

describe('email through the SendGrid SDK against its published contract (Prism)', () => {
	let prism: PrismHandle;
	beforeAll(async () => void (prism = await prismFor('sendgrid')));
	afterAll(() => prism?.stop());

	describe.each(dbKinds())('on %s', (kind) => {
		let h: DbHandle;
		let providers: Providers;
		beforeAll(async () => {
			h = await freshDb(kind);
			providers = providersWith(new SendGridEmailProvider({ apiKey: 'SG.test-key', baseUrl: prism.url, timeoutMs: 10_000 }));
			await seedCustomer(h.db, 'ada', { email: 'Ada@Example.com', traits: { first_name: 'Ada' } });
			await seedEnrollment(h.db, 'enr-1', 'ada');
			await seedCustomer(h.db, 'bob', { email: 'bob@example.com', consent: { email: { granted: false, source: 'form', at: now.toISOString() } } });
			await seedCustomer(h.db, 'cy', { email: 'cy@example.com' });
			await seedCustomer(h.db, 'nomail');
			await h.db.insert(suppressions).values({ channel: 'email', value: 'cy@example.com', reason: 'bounce' });
		});
		afterAll(() => h.close());

		it('renders Liquid with the offer, sends once per key, and carries our ids in personalizations[].custom_args', async () => {
			const offer = await grantOffer(h.db, {
				grantKey: `enr-1:grant:${kind}`,
				customerId: 'ada',
				enrollmentId: 'enr-1',
				title: 'Spring',
				kind: 'percent',
				value: 20,
				validForMs: 86_400_000,
				codePrefix: 'SPRING',
				now
			});
			const before = prism.requests.length;
			const input = spring();
			const first = await sendMessage(h.db, providers, input);
			const again = await sendMessage(h.db, providers, input);
			const sent = prism.requests.slice(before);

			expect(sent).toHaveLength(1);
			expect(sent[0]).toMatchObject({ method: 'POST', path: '/v3/mail/send', status: 202 });
			expect(sent[0]!.headers.authorization).toBe('Bearer SG.test-key');
			expect(first).toMatchObject({ outcome: 'sent', status: 'sent', provider: 'sendgrid', replayed: false });
			expect(again).toMatchObject({ outcome: 'sent', messageId: first.messageId, replayed: true });

			const body = JSON.parse(sent[0]!.body) as MailBody;
			expect(body.subject).toBe('Still thinking about Red shoes, Ada?');
			expect(body.personalizations).toEqual([
				{
					to: [{ email: 'ada@example.com' }],
					custom_args: {
						omnicanal_message_id: first.messageId,
						omnicanal_journey_id: 'j-spring',
						omnicanal_enrollment_id: 'enr-1',
						omnicanal_node_id: 'email-1'
					}
				}
			]);
			expect(body).not.toHaveProperty('custom_args');
			expect(body.from).toEqual({ email: 'shop@example.com', name: 'Omnicanal Shop' });
			const html = body.content.find((c) => c.type === 'text/html')!.value;
			const text = body.content.find((c) => c.type === 'text/plain')!.value;
			expect(html).toContain(`take 20% off with <b>${offer.code}</b>`);
			expect(text).toContain(`with ${offer.code}.`);

			const unsubscribe = /^<(https:\/\/shop\.example\.test\/unsubscribe\/([^>]+))>$/.exec(body.headers['List-Unsubscribe']!);
			expect(unsubscribe).not.toBeNull();
			expect(body.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
			expect(html).toContain(unsubscribe![1]); // the template's own link: no extra footer
			expect(text).toContain(`Unsubscribe: ${unsubscribe![1]}`); // text part had none: footer added
			expect(readUnsubscribeToken(settings.appSecret, unsubscribe![2]!)).toEqual({ customerId: 'ada', channel: 'email', messageId: first.messageId });

			const [row] = await h.db.select().from(messages).where(eq(messages.id, first.messageId));
			expect(row).toMatchObject({ status: 'sent', to: 'ada@example.com', attempts: 1, meta: expect.objectContaining({ offerCode: offer.code }) });
			expect(row!.sentAt).toEqual(now);
		});

		it('skips at send time for refused consent, suppression and missing address, without calling SendGrid', async () => {
			const before = prism.requests.length;
			expect(await sendMessage(h.db, providers, spring({ customerId: 'bob' }))).toMatchObject({ outcome: 'skipped', reason: 'no_consent' });
			expect(await sendMessage(h.db, providers, spring({ customerId: 'cy' }))).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
			expect(await sendMessage(h.db, providers, spring({ customerId: 'nomail' }))).toMatchObject({ outcome: 'skipped', reason: 'no_address' });
			expect(await sendMessage(h.db, providers, spring({ customerId: 'ghost' }))).toMatchObject({ outcome: 'skipped', reason: 'no_customer' });
			const key = `opt-in:${randomUUID()}`;
			expect(await sendMessage(h.db, providers, spring({ idempotencyKey: key, consentPolicy: 'opt-in' }))).toMatchObject({
				outcome: 'skipped',
				reason: 'no_consent'
			});
			expect(await sendMessage(h.db, providers, spring({ idempotencyKey: key }))).toMatchObject({ outcome: 'skipped', replayed: true });
			expect(await sendMessage(h.db, providers, spring({ customerId: 'bob', purpose: 'transactional' }))).toMatchObject({ outcome: 'sent' });
			expect(prism.requests.length - before).toBe(1);
		});

		it('applies a frequency cap across sends', async () => {
			const cap = [{ channel: 'email' as const, max: 2, windowMs: 3600_000 }];
			const sentSoFar = (await h.db.select().from(messages).where(eq(messages.customerId, 'ada'))).filter((m) => m.status === 'sent').length;
			expect(sentSoFar).toBe(1);
			expect(await sendMessage(h.db, providers, spring({ frequencyCaps: cap }))).toMatchObject({ outcome: 'sent' });
			expect(await sendMessage(h.db, providers, spring({ frequencyCaps: cap }))).toMatchObject({ outcome: 'skipped', reason: 'frequency_cap' });
		});

		it('records a request that breaks the contract as a permanent failure', async () => {
			const before = prism.requests.length;
			const result = await sendMessage(h.db, providers, spring({ email: { subject: 'No sender', text: 'x', from: 'not an address' } }));
			expect(prism.requests.length - before).toBe(1);
			expect(prism.requests.at(-1)!.status).toBeGreaterThanOrEqual(400);
			expect(prism.requests.at(-1)!.status).toBeLessThan(500);
			expect(result).toMatchObject({ outcome: 'failed', status: 'failed', error: { code: expect.stringMatching(/^http_4\d\d$/) } });
		});
	});
});

describe.each(dbKinds())('email provider failures on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await freshDb(kind);
		await seedCustomer(h.db, 'ada', { email: 'ada@example.com', traits: { first_name: 'Ada' } });
		await seedEnrollment(h.db, 'enr-1', 'ada');
	});
	afterAll(() => h.close());

	it('throws a retryable error on 5xx and timeouts; a retry after a timeout sends again only once Email Activity confirms the first never arrived', async () => {
		let mode: 'down' | 'slow' | 'up' = 'down';
		const server = await fakeServer((req, res) => {
			if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"messages":[]}');
			if (mode === 'down') return void res.writeHead(503).end('{"errors":[{"message":"busy"}]}');
			if (mode === 'slow') return; // never answers
			res.writeHead(202, { 'x-message-id': 'sg-abc' }).end();
		});
		try {
			const providers = providersWith(new SendGridEmailProvider({ apiKey: 'SG.x', baseUrl: server.url, timeoutMs: 300, emailActivity: true }));
			const input = spring();
			await expect(sendMessage(h.db, providers, input)).rejects.toMatchObject({ name: 'TransientChannelError', retryable: true, info: { status: 503 } });
			mode = 'slow';
			await expect(sendMessage(h.db, providers, input)).rejects.toMatchObject({ name: 'TransientChannelError', info: { code: 'timeout' } });
			const [pending] = await h.db.select().from(messages).where(eq(messages.idempotencyKey, input.idempotencyKey));
			expect(pending).toMatchObject({ status: 'pending', attempts: 2, lockedUntil: null, meta: { dispatch: { at: now.toISOString() } } });
			mode = 'up';
			// Email Activity has not had time to index the timed-out attempt: not sent blind.
			await expect(sendMessage(h.db, providers, { ...input, now: new Date(now.getTime() + 60_000) })).rejects.toMatchObject({
				info: { code: 'outcome_pending' }
			});
			const later = new Date(now.getTime() + 11 * 60_000);
			expect(await sendMessage(h.db, providers, { ...input, now: later })).toMatchObject({
				outcome: 'sent',
				providerMessageId: 'sg-abc',
				messageId: pending!.id
			});
			expect(await sendMessage(h.db, providers, input)).toMatchObject({ outcome: 'sent', replayed: true });
			expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
		} finally {
			await server.close();
		}
	});

	it('has recorded the attempt and counted the message on its row before the provider is called, with or without a cap to check', async () => {
		const seen: unknown[] = [];
		let key = '';
		const server = await fakeServer(async (_req, res) => {
			const [row] = await h.db.select().from(messages).where(eq(messages.idempotencyKey, key));
			seen.push({ dispatch: row?.meta.dispatch, countedAt: row?.countedAt, lockedUntil: row?.lockedUntil !== null });
			res.writeHead(202, { 'x-message-id': `sg-${seen.length}` }).end();
		});
		try {
			const providers = providersWith(new SendGridEmailProvider({ apiKey: 'SG.x', baseUrl: server.url, timeoutMs: 5000 }));
			// The first is stored already dispatching (nothing to check first); the second is marked after its cap check.
			for (const input of [spring(), spring({ frequencyCaps: [{ channel: 'email', max: 50, windowMs: 86_400_000 }] })]) {
				key = input.idempotencyKey;
				expect(await sendMessage(h.db, providers, input)).toMatchObject({ outcome: 'sent', replayed: false });
				const [row] = await h.db.select().from(messages).where(eq(messages.idempotencyKey, key));
				expect(row).toMatchObject({ status: 'sent', countedAt: now, lockedUntil: null, attempts: 1 });
				expect(row!.meta.dispatch).toBeUndefined();
			}
			expect(seen).toEqual([
				{ dispatch: { at: now.toISOString(), attempt: 1 }, countedAt: now, lockedUntil: true },
				{ dispatch: { at: now.toISOString(), attempt: 1 }, countedAt: now, lockedUntil: true }
			]);
		} finally {
			await server.close();
		}
	});

	it('a retry answers the message an earlier attempt finished, even once the customer has gone or opted out, and sends nothing', async () => {
		const server = await fakeServer((_req, res) => void res.writeHead(202, { 'x-message-id': 'sg-once' }).end());
		try {
			await seedCustomer(h.db, 'eve', { email: 'eve@example.com' });
			const providers = providersWith(new SendGridEmailProvider({ apiKey: 'SG.x', baseUrl: server.url, timeoutMs: 5000 }));
			const input = spring({ customerId: 'eve' });
			const first = await sendMessage(h.db, providers, input);
			expect(first).toMatchObject({ outcome: 'sent', replayed: false, providerMessageId: 'sg-once' });
			await h.db.insert(suppressions).values({ channel: 'email', value: 'eve@example.com', reason: 'unsubscribed' });
			expect(await sendMessage(h.db, providers, input)).toEqual({ ...first, replayed: true });
			await h.db.update(customers).set({ erasedAt: now }).where(eq(customers.id, 'eve'));
			expect(await sendMessage(h.db, providers, input)).toEqual({ ...first, replayed: true });
			expect(server.requests).toHaveLength(1);
			expect(await h.db.$count(messages, eq(messages.idempotencyKey, input.idempotencyKey))).toBe(1);
		} finally {
			await server.close();
		}
	});

	it('lets only one of two overlapping attempts send', async () => {
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		const server = await fakeServer(async (_req, res) => {
			await gate;
			res.writeHead(202).end();
		});
		try {
			const providers = providersWith(new SendGridEmailProvider({ apiKey: 'SG.x', baseUrl: server.url, timeoutMs: 5000 }));
			const input = spring();
			const first = sendMessage(h.db, providers, input);
			await new Promise((r) => setTimeout(r, 300));
			await expect(sendMessage(h.db, providers, input)).rejects.toMatchObject({ name: 'TransientChannelError', info: { code: 'in_flight' } });
			release();
			expect(await first).toMatchObject({ outcome: 'sent' });
			expect(server.requests).toHaveLength(1);
		} finally {
			await server.close();
		}
	});
});
