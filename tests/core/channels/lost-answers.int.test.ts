/**
 * A provider that accepts a message and then never answers (the request times out after it was taken): the
 * retry looks the attempt up before calling again, through the real SDKs (twilio, @sendgrid/mail) against
 * local fakes that answer in the shapes of the published contracts (tests/contracts).
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNDECIDABLE_AFTER_MS } from '../../../core/channels/attempts';
import { outboxAudience, outboxEmail, outboxSms } from '../../../core/channels/outbox';
import { SendGridEmailProvider } from '../../../core/channels/sendgrid';
import { sendMessage, type SendMessageInput } from '../../../core/channels/send';
import { recordMessageEvent } from '../../../core/channels/status';
import { TwilioSmsProvider } from '../../../core/channels/twilio';
import { TwilioWhatsAppProvider } from '../../../core/channels/whatsapp';
import { events } from '../../../core/db/schema/events';
import type { Providers } from '../../../core/channels/types';
import type { DbHandle } from '../../../core/db/client';
import { messages } from '../../../core/db/schema/messages';
import { sendSmsStep } from '../../../worker/activities/channels';
import { dbKinds, freshDb } from '../../helpers/db';
import { fakeServer, sendJson, seedCustomer, seedEnrollment, settings, type FakeRequest } from './fixtures';

const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;
const SERVICE = `MG${'fedcba9876543210'.repeat(2)}`;
const WHATSAPP_FROM = 'whatsapp:+14155238886';
const t0 = new Date('2026-03-01T10:00:00Z');
const after = (ms: number) => new Date(t0.getTime() + ms);

type Mode = 'accept-then-hang' | 'hang-without-accepting' | 'accept';
type LookupMode = 'answer' | 'down';

/** Twilio's Messages resource: create (POST) and list (GET, newest first), with the failure modes under test. */
async function fakeTwilio() {
	const state = { mode: 'accept-then-hang' as Mode, lookup: 'answer' as LookupMode, created: [] as Record<string, unknown>[] };
	const server = await fakeServer((req: FakeRequest, res) => {
		const path = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`;
		if (req.method === 'GET' && req.path.startsWith(path)) {
			if (state.lookup === 'down') return sendJson(res, 503, { code: 20503, message: 'Service Unavailable', status: 503 });
			const to = new URL(req.path, 'http://x').searchParams.get('To');
			const messages = state.created.filter((m) => m.to === to).reverse();
			return sendJson(res, 200, {
				messages,
				end: messages.length - 1,
				first_page_uri: path,
				next_page_uri: null,
				page: 0,
				page_size: 50,
				previous_page_uri: null,
				start: 0,
				uri: path
			});
		}
		const form = new URLSearchParams(req.body);
		if (state.mode === 'hang-without-accepting') return; // lost before Twilio took it
		const message = {
			sid: `SM${randomUUID().replace(/-/g, '')}`,
			account_sid: ACCOUNT,
			to: form.get('To'),
			from: form.get('From'),
			messaging_service_sid: form.get('MessagingServiceSid'),
			// A template message carries Twilio's rendering of it, not a text of ours.
			body: form.get('Body') ?? (form.get('ContentSid') ? 'Hi Ada, your order is ready (approved template)' : null),
			status: 'accepted',
			num_segments: '1',
			direction: 'outbound-api',
			date_created: t0.toUTCString(),
			date_updated: t0.toUTCString(),
			date_sent: null,
			api_version: '2010-04-01',
			uri: `${path.replace('.json', '')}/x.json`
		};
		state.created.push(message);
		if (state.mode === 'accept') sendJson(res, 201, message);
		// accept-then-hang: taken, and the answer never comes
	});
	return {
		server,
		state,
		provider: new TwilioSmsProvider({ accountSid: ACCOUNT, authToken: 'token', messagingServiceSid: SERVICE, baseUrl: server.url, timeoutMs: 300 }),
		whatsapp: new TwilioWhatsAppProvider({ accountSid: ACCOUNT, authToken: 'token', from: WHATSAPP_FROM, baseUrl: server.url, timeoutMs: 300 })
	};
}

/** SendGrid's mail/send and, when the account has it, Email Activity's /v3/messages. */
async function fakeSendGrid() {
	const state = {
		mode: 'accept-then-hang' as Mode,
		activity: 'answer' as LookupMode | 'forbidden',
		accepted: [] as { id: string; customArgs: Record<string, string> }[]
	};
	const server = await fakeServer((req, res) => {
		if (req.method === 'GET' && req.path.startsWith('/v3/messages')) {
			if (state.activity === 'forbidden') return sendJson(res, 403, { errors: [{ message: 'access forbidden' }] });
			if (state.activity === 'down') return sendJson(res, 503, { errors: [{ message: 'busy' }] });
			const query = new URL(req.path, 'http://x').searchParams.get('query') ?? '';
			const found = state.accepted.filter((m) => query === `unique_args['omnicanal_message_id']="${m.customArgs.omnicanal_message_id}"`);
			return sendJson(res, 200, {
				messages: found.map((m) => ({
					from_email: 'shop@example.com',
					msg_id: `${m.id}.filter0001-1-1`,
					subject: 'x',
					to_email: 'ada@example.com',
					status: 'processed',
					opens_count: 0,
					clicks_count: 0,
					last_event_time: t0.toISOString()
				}))
			});
		}
		if (state.mode === 'hang-without-accepting') return;
		const body = JSON.parse(req.body) as { personalizations: { custom_args: Record<string, string> }[] };
		const id = `sg-${state.accepted.length + 1}`;
		state.accepted.push({ id, customArgs: body.personalizations[0]!.custom_args });
		if (state.mode === 'accept') res.writeHead(202, { 'x-message-id': id }).end();
	});
	const provider = (emailActivity: boolean) => new SendGridEmailProvider({ apiKey: 'SG.x', baseUrl: server.url, timeoutMs: 300, emailActivity });
	return { server, state, provider };
}

const providersWith = (over: Partial<Pick<Providers, 'email' | 'sms' | 'whatsapp'>>): Providers => ({
	email: outboxEmail,
	sms: outboxSms,
	audiences: { meta: outboxAudience, google: outboxAudience },
	settings,
	...over
});

const sms = (): SendMessageInput => ({
	idempotencyKey: `enr-1:sms-1:${randomUUID()}`,
	channel: 'sms',
	customerId: 'ada',
	enrollmentId: 'enr-1',
	nodeId: 'sms-1',
	sms: { body: 'Your order is ready for pickup.' },
	now: t0
});

const whatsapp = (content: { body?: string; template?: { contentSid: string } }): SendMessageInput => ({
	idempotencyKey: `enr-1:wa-1:${randomUUID()}`,
	channel: 'whatsapp',
	customerId: 'ada',
	enrollmentId: 'enr-1',
	nodeId: 'wa-1',
	whatsapp: content,
	now: t0
});

const email = (): SendMessageInput => ({
	idempotencyKey: `enr-1:email-1:${randomUUID()}`,
	channel: 'email',
	customerId: 'ada',
	enrollmentId: 'enr-1',
	nodeId: 'email-1',
	email: { subject: 'Ready', text: 'Your order is ready.' },
	now: t0
});

const posts = (requests: FakeRequest[]) => requests.filter((r) => r.method === 'POST').length;

describe.each(dbKinds())('a send whose answer was lost on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await freshDb(kind);
		await seedCustomer(h.db, 'ada', { email: 'ada@example.com', phone: '+33612345678' });
		await seedEnrollment(h.db, 'enr-1', 'ada');
	});
	afterAll(() => h.close());

	const row = async (id: string) => (await h.db.select().from(messages).where(eq(messages.id, id)))[0]!;
	const rowByKey = async (key: string) => (await h.db.select().from(messages).where(eq(messages.idempotencyKey, key)))[0]!;

	describe('Twilio', () => {
		it('finds the accepted message by listing the recipient’s messages, and does not send it twice', async () => {
			const { server, state, provider } = await fakeTwilio();
			try {
				const providers = providersWith({ sms: provider });
				const input = sms();
				await expect(sendMessage(h.db, providers, input)).rejects.toMatchObject({ name: 'TransientChannelError', info: { code: 'timeout' } });
				expect((await rowByKey(input.idempotencyKey)).meta).toMatchObject({ dispatch: { at: t0.toISOString() } });
				state.mode = 'accept';
				const retry = await sendMessage(h.db, providers, { ...input, now: after(10_000) });
				expect(retry).toMatchObject({ outcome: 'sent', replayed: true, providerMessageId: state.created[0]!.sid });
				const list = server.requests.find((r) => r.method === 'GET')!;
				expect(new URL(list.path, 'http://x').searchParams.get('To')).toBe('+33612345678');
				expect(posts(server.requests)).toBe(1);
				expect(state.created).toHaveLength(1);
				const stored = await row(retry.messageId);
				expect(stored).toMatchObject({ status: 'queued', sentAt: t0, meta: { recoveredBy: 'twilio_list' } });
				expect(stored.meta.dispatch).toBeUndefined();
			} finally {
				await server.close();
			}
		});

		it('sends again only when the list confirms the first attempt never arrived', async () => {
			const { server, state, provider } = await fakeTwilio();
			try {
				const providers = providersWith({ sms: provider });
				const input = sms();
				state.mode = 'hang-without-accepting';
				await expect(sendMessage(h.db, providers, input)).rejects.toMatchObject({ info: { code: 'timeout' } });
				state.mode = 'accept';
				expect(await sendMessage(h.db, providers, { ...input, now: after(10_000) })).toMatchObject({ outcome: 'sent', replayed: false });
				expect(posts(server.requests)).toBe(2);
				expect(state.created).toHaveLength(1);
			} finally {
				await server.close();
			}
		});

		it('marks an attempt it cannot look up as unknown, never sends it blind, and the step says so', async () => {
			const { server, state, provider } = await fakeTwilio();
			try {
				const providers = providersWith({ sms: provider });
				const input = sms();
				await expect(sendMessage(h.db, providers, input)).rejects.toMatchObject({ info: { code: 'timeout' } });
				state.mode = 'accept';
				state.lookup = 'down';
				await expect(sendMessage(h.db, providers, { ...input, now: after(60_000) })).rejects.toMatchObject({ info: { code: 'outcome_pending' } });
				// The worker's step, as Temporal retries it once the lookup has failed for long enough (same key).
				const [, , visit] = input.idempotencyKey.split(':');
				const step = await sendSmsStep(
					{ db: h.db, providers },
					{
						ref: { enrollmentId: 'enr-1', journeyId: 'j-spring', version: 1, customerId: 'ada' },
						node: { id: 'sms-1', type: 'sendSms', body: 'Your order is ready for pickup.' },
						visit: visit as unknown as number, // stepKey only prints it
						settings: {}
					},
					after(UNDECIDABLE_AFTER_MS + 1000)
				);
				expect(step).toMatchObject({ status: 'skipped', reason: 'outcome_unknown' });
				const stored = await rowByKey(input.idempotencyKey);
				expect(stored).toMatchObject({ status: 'unknown', sentAt: null, error: expect.stringContaining('Twilio lookup failed') });
				expect(await sendMessage(h.db, providers, { ...input, now: after(UNDECIDABLE_AFTER_MS * 2) })).toMatchObject({ outcome: 'unknown', replayed: true });
				expect(posts(server.requests)).toBe(1);
				// A status report that comes later settles it.
				await recordMessageEvent(h.db, {
					messageId: stored.id,
					status: 'delivered',
					providerEventId: `tw-${stored.id}`,
					raw: {},
					at: after(UNDECIDABLE_AFTER_MS * 2)
				});
				expect((await row(stored.id)).status).toBe('delivered');
			} finally {
				await server.close();
			}
		});
	});

	describe('Twilio WhatsApp', () => {
		it('finds free text by its body among our messages to the number, and does not send it twice', async () => {
			const { server, state, whatsapp: provider } = await fakeTwilio();
			try {
				const providers = providersWith({ whatsapp: provider });
				// She wrote to us an hour ago: the 24-hour window is open, free text may go.
				await h.db.insert(events).values({
					id: randomUUID(),
					messageId: randomUUID(),
					type: 'track',
					name: 'whatsapp_received',
					customerId: 'ada',
					timestamp: after(-3_600_000)
				});
				const input = whatsapp({ body: 'Your blue jacket is back in store.' });
				await expect(sendMessage(h.db, providers, input)).rejects.toMatchObject({ info: { code: 'timeout' } });
				state.mode = 'accept';
				const retry = await sendMessage(h.db, providers, { ...input, now: after(10_000) });
				expect(retry).toMatchObject({ outcome: 'sent', replayed: true, providerMessageId: state.created[0]!.sid });
				const list = server.requests.find((r) => r.method === 'GET')!;
				expect(new URL(list.path, 'http://x').searchParams.get('To')).toBe('whatsapp:+33612345678');
				expect(posts(server.requests)).toBe(1);
				expect(await rowByKey(input.idempotencyKey)).toMatchObject({ status: 'queued', meta: { recoveredBy: 'twilio_list' } });
			} finally {
				await server.close();
			}
		});

		it('sends again when nothing from us reached the number, and never re-sends a template it cannot match', async () => {
			const { server, state, whatsapp: provider } = await fakeTwilio();
			try {
				const providers = providersWith({ whatsapp: provider });
				const template = { contentSid: `HX${'b'.repeat(32)}` };
				// Lost before Twilio took it: the list has nothing from us since, so it goes again.
				state.mode = 'hang-without-accepting';
				const lost = whatsapp({ template });
				await expect(sendMessage(h.db, providers, lost)).rejects.toMatchObject({ info: { code: 'timeout' } });
				state.mode = 'accept';
				expect(await sendMessage(h.db, providers, { ...lost, now: after(10_000) })).toMatchObject({ outcome: 'sent', replayed: false });
				expect(posts(server.requests)).toBe(2);
				// Taken, answer lost: Twilio lists a message from us with its own rendering of the template.
				state.mode = 'accept-then-hang';
				const taken = whatsapp({ template });
				await expect(sendMessage(h.db, providers, { ...taken, now: after(60_000) })).rejects.toMatchObject({ info: { code: 'timeout' } });
				state.mode = 'accept';
				await expect(sendMessage(h.db, providers, { ...taken, now: after(70_000) })).rejects.toMatchObject({ info: { code: 'outcome_pending' } });
				expect(await sendMessage(h.db, providers, { ...taken, now: after(60_000 + UNDECIDABLE_AFTER_MS) })).toMatchObject({ outcome: 'unknown' });
				expect(posts(server.requests)).toBe(3);
			} finally {
				await server.close();
			}
		});
	});

	describe('SendGrid', () => {
		it('finds the accepted message in Email Activity by our custom args, and does not send it twice', async () => {
			const { server, state, provider } = await fakeSendGrid();
			try {
				const providers = providersWith({ email: provider(true) });
				const input = email();
				await expect(sendMessage(h.db, providers, input)).rejects.toMatchObject({ name: 'TransientChannelError', info: { code: 'timeout' } });
				state.mode = 'accept';
				const retry = await sendMessage(h.db, providers, { ...input, now: after(30_000) });
				expect(retry).toMatchObject({ outcome: 'sent', replayed: true, providerMessageId: 'sg-1' });
				expect(posts(server.requests)).toBe(1);
				const lookup = server.requests.find((r) => r.method === 'GET')!;
				expect(new URL(lookup.path, 'http://x').searchParams.get('query')).toBe(`unique_args['omnicanal_message_id']="${retry.messageId}"`);
				expect(lookup.headers.authorization).toBe('Bearer SG.x');
			} finally {
				await server.close();
			}
		});

		it('without Email Activity, waits for the event webhook: a processed event settles it', async () => {
			const { server, state, provider } = await fakeSendGrid();
			try {
				const providers = providersWith({ email: provider(false) });
				const input = email();
				await expect(sendMessage(h.db, providers, input)).rejects.toMatchObject({ info: { code: 'timeout' } });
				state.mode = 'accept';
				await expect(sendMessage(h.db, providers, { ...input, now: after(60_000) })).rejects.toMatchObject({ info: { code: 'outcome_pending' } });
				const pending = await rowByKey(input.idempotencyKey);
				await recordMessageEvent(h.db, {
					messageId: pending.id,
					status: 'queued',
					providerEventId: `sg-evt-${pending.id}`,
					raw: { event: 'processed' },
					at: after(90_000)
				});
				expect(await sendMessage(h.db, providers, { ...input, now: after(120_000) })).toMatchObject({ outcome: 'sent', replayed: true });
				expect(posts(server.requests)).toBe(1);
			} finally {
				await server.close();
			}
		});

		it('without Email Activity and without a webhook, marks it unknown after the bound instead of sending again', async () => {
			const { server, state, provider } = await fakeSendGrid();
			try {
				state.activity = 'forbidden';
				const providers = providersWith({ email: provider(true) });
				const input = email();
				await expect(sendMessage(h.db, providers, input)).rejects.toMatchObject({ info: { code: 'timeout' } });
				state.mode = 'accept';
				await expect(sendMessage(h.db, providers, { ...input, now: after(5 * 60_000) })).rejects.toMatchObject({ info: { code: 'outcome_pending' } });
				const result = await sendMessage(h.db, providers, { ...input, now: after(UNDECIDABLE_AFTER_MS) });
				expect(result).toMatchObject({ outcome: 'unknown', reason: expect.stringContaining('Email Activity answered 403') });
				expect((await row(result.messageId)).status).toBe('unknown');
				expect(posts(server.requests)).toBe(1);
			} finally {
				await server.close();
			}
		});

		it('sends again once Email Activity has had time to index and still has no trace of the attempt', async () => {
			const { server, state, provider } = await fakeSendGrid();
			try {
				const providers = providersWith({ email: provider(true) });
				const input = email();
				state.mode = 'hang-without-accepting';
				await expect(sendMessage(h.db, providers, input)).rejects.toMatchObject({ info: { code: 'timeout' } });
				state.mode = 'accept';
				await expect(sendMessage(h.db, providers, { ...input, now: after(60_000) })).rejects.toMatchObject({ info: { code: 'outcome_pending' } });
				expect(await sendMessage(h.db, providers, { ...input, now: after(11 * 60_000) })).toMatchObject({
					outcome: 'sent',
					replayed: false,
					providerMessageId: 'sg-1'
				});
				expect(state.accepted).toHaveLength(1);
			} finally {
				await server.close();
			}
		});
	});
});
