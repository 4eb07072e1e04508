import { randomUUID } from 'node:crypto';
import { and, count, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { messages } from '../db/schema/messages';
import { SendEmailNode, SendPushNode, SendSmsNode, SendWhatsAppNode } from '../graph/nodes/index';
import { normalizeEmail, normalizePhone } from '../identity/normalize';
import { customerByIdentity } from '../identity/lookup';
import { draftMessage } from './compose';
import { isChannelError, PermanentChannelError } from './errors';
import { insertOrGet, markFinal, markSent } from './outbound';
import { previewMessage } from './preview';
import { loadRecipient, type Recipient } from './recipients';
import type { SendMessageInput } from './send';
import { smsSegments, type SmsSegments } from './sms-parts';
import { renderTemplate, type TemplateContext } from './template';
import type { Providers } from './types';
import { providerOf } from './outbox';
import { pushUrl } from './compose';
import { lastInboundWhatsApp, whatsAppAddress, whatsAppMode } from './whatsapp';

/*
 * Testing a message step before publishing: a preview rendered for a chosen customer (or sample data), and a
 * test send to an address the marketer types. A test send is a `messages` row like any other, so the outbox
 * lists it, but it is marked: `[Test] ` before the subject or SMS text, `meta.test = true`, an idempotency key
 * `test:<uuid>`, and no journey, enrollment or step columns (they are kept in `meta.journeyId`/`meta.nodeId`),
 * so nothing keyed by journey or enrollment — step figures, conversions, frequency caps — can count it.
 * Analytics that read `messages` directly exclude `meta->>'test' = 'true'`.
 */

export const TEST_PREFIX = '[Test] ';
/** Test sends per requester in `TEST_SEND_WINDOW_MS`: enough to iterate on copy, not enough to spam anyone. */
export const TEST_SEND_LIMIT = 10;
export const TEST_SEND_WINDOW_MS = 10 * 60_000;

/** The entry event templates see as `event`: the trigger's event as it would arrive. */
export const EntryEventSample = z.object({
	name: z.string().max(200).optional(),
	properties: z.record(z.string(), z.unknown()).default({})
});

const MessageStep = z.discriminatedUnion('type', [SendEmailNode, SendSmsNode, SendWhatsAppNode, SendPushNode]);
export type MessageStep = z.infer<typeof MessageStep>;

export const StepPreviewInput = z.object({
	node: MessageStep,
	customerId: z.string().min(1).max(200).optional(),
	entryEvent: EntryEventSample.optional()
});
export type StepPreviewInput = z.infer<typeof StepPreviewInput>;

export const TestSendInput = StepPreviewInput.extend({ to: z.string().trim().min(1).max(320) });
export type TestSendInput = z.infer<typeof TestSendInput>;

export type PreviewChannel = 'email' | 'sms' | 'whatsapp' | 'push';

export type StepPreview = {
	channel: PreviewChannel;
	/** Whose data filled the template; `null` for sample data. */
	customerId: string | null;
	/** The address the message would go to (the customer's), `null` for sample data. */
	to: string | null;
	subject: string | null;
	html: string | null;
	text: string | null;
	/** SMS only: parts, encoding and length of the rendered text. */
	sms: SmsSegments | null;
	/** WhatsApp only: what goes now, the template's rendered variables, and the customer's window. */
	whatsapp?: {
		mode: 'session' | 'template' | 'closed';
		template: { contentSid: string; variables: Record<string, string> } | null;
		lastInboundAt: string | null;
	};
	/** Push only: the URL a click opens. */
	push?: { url: string };
};

export type TestSendErrorCode =
	'template_error' | 'customer_not_found' | 'no_address' | 'invalid_address' | 'rate_limited' | 'provider_error' | 'unsupported_channel';

/** A refusal the HTTP layer answers as a 4xx (or 502 for the provider), worded for the marketer. */
export class TestSendError extends Error {
	constructor(
		readonly code: TestSendErrorCode,
		message: string,
		readonly details?: Record<string, unknown>
	) {
		super(message);
		this.name = 'TestSendError';
	}
}

export function testSendErrorStatus(code: TestSendErrorCode): number {
	return {
		template_error: 422,
		customer_not_found: 404,
		no_address: 422,
		invalid_address: 400,
		rate_limited: 429,
		provider_error: 502,
		unsupported_channel: 422
	}[code];
}

function eventOf(entry: StepPreviewInput['entryEvent']): Record<string, unknown> | undefined {
	return entry ? { ...(entry.name ? { name: entry.name } : {}), properties: entry.properties, timestamp: new Date().toISOString() } : undefined;
}

/** The `sendMessage` input of a message step: exactly what the worker's email and SMS activities pass. */
function sendInput(node: MessageStep, rest: Omit<SendMessageInput, 'channel' | 'email' | 'sms' | 'whatsapp' | 'push'>): SendMessageInput {
	switch (node.type) {
		case 'sendEmail':
			return { ...rest, channel: 'email', email: { subject: node.subject ?? '', html: node.html, text: node.text, from: node.from } };
		case 'sendSms':
			return { ...rest, channel: 'sms', sms: { body: node.body } };
		case 'sendWhatsApp':
			return { ...rest, channel: 'whatsapp', whatsapp: { body: node.body, template: node.template } };
		case 'sendPush':
			return { ...rest, channel: 'push', push: { title: node.title, body: node.body, url: node.url } };
	}
}

export function channelOfStep(node: MessageStep): PreviewChannel {
	return ({ sendEmail: 'email', sendSms: 'sms', sendWhatsApp: 'whatsapp', sendPush: 'push' } as const)[node.type];
}

function templateFailure(message: string | null | undefined): TestSendError {
	return new TestSendError('template_error', (message ?? 'The template could not be rendered.').replace(/^template error: /, 'Template error: '));
}

/** Splits a stored body into the preview's html/text by the draft's format. */
function shapePreview(channel: PreviewChannel, subject: string | null, body: string, meta: Record<string, unknown>, lastInbound?: Date | null) {
	if (channel === 'sms') return { subject: null, html: null, text: body, sms: smsSegments(body) };
	if (channel === 'whatsapp') {
		const template = (meta.template as { contentSid: string; variables: Record<string, string> } | undefined) ?? null;
		const { mode } = whatsAppMode(lastInbound ?? null, new Date(), { hasBody: body.trim() !== '', hasTemplate: template !== null });
		return { subject: null, html: null, text: body || null, sms: null, whatsapp: { mode, template, lastInboundAt: lastInbound?.toISOString() ?? null } };
	}
	if (channel === 'push') return { subject, html: null, text: body, sms: null, push: { url: typeof meta.url === 'string' ? meta.url : '' } };
	const html = meta.format === 'html' ? body : null;
	const text = meta.format === 'html' ? (typeof meta.text === 'string' ? meta.text : null) : body;
	return { subject, html, text, sms: null };
}

/** Sample data for a preview without a customer, so `{{ customer.first_name }}` and `{{ offer.code }}` show something. */
function sampleContext(providers: Providers, event: Record<string, unknown> | undefined): TemplateContext {
	const { publicUrl } = providers.settings;
	return {
		customer: { id: 'sample-customer', first_name: 'Alex', last_name: 'Sample', name: 'Alex Sample', email: 'alex@example.com', phone: '+33600000000' },
		event: event ?? {},
		offer: {
			code: 'SAMPLE-10',
			title: 'Sample offer',
			kind: 'percent',
			value: 10,
			currency: null,
			display: '10%',
			expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
			qrUrl: `${publicUrl}/api/v1/offers/SAMPLE-10/qr.png`
		},
		links: { unsubscribe: `${publicUrl}/unsubscribe/sample` }
	};
}

async function renderSample(providers: Providers, node: MessageStep, event: Record<string, unknown> | undefined) {
	const context = sampleContext(providers, event);
	try {
		if (node.type === 'sendSms') return shapePreview('sms', null, await renderTemplate(node.body, context, 'text'), {});
		if (node.type === 'sendWhatsApp') {
			const variables: Record<string, string> = {};
			for (const [key, source] of Object.entries(node.template?.variables ?? {})) variables[key] = (await renderTemplate(source, context, 'text')).trim();
			const body = node.body?.trim() ? await renderTemplate(node.body, context, 'text') : '';
			// Sample data has no conversation: shown as the window would be for a customer who wrote a minute ago.
			const meta = node.template ? { template: { contentSid: node.template.contentSid, variables } } : {};
			return shapePreview('whatsapp', null, body, meta, new Date(Date.now() - 60_000));
		}
		if (node.type === 'sendPush') {
			const title = (await renderTemplate(node.title, context, 'text')).trim();
			const body = (await renderTemplate(node.body, context, 'text')).trim();
			const url = pushUrl(node.url?.trim() ? (await renderTemplate(node.url, context, 'text')).trim() : '/', providers.settings.publicUrl);
			return shapePreview('push', title, body, { url });
		}
		const subject = (await renderTemplate(node.subject ?? '', context, 'text')).trim();
		const html = node.html?.trim() ? await renderTemplate(node.html, context, 'html') : null;
		const text = node.text?.trim() ? await renderTemplate(node.text, context, 'text') : null;
		return { subject, html, text, sms: null };
	} catch (err) {
		if (err instanceof PermanentChannelError) throw templateFailure(err.message);
		throw err;
	}
}

/**
 * What a message step would send: for `customerId` exactly as `sendMessage` renders it (their profile, the
 * entry event given, the unsubscribe footer), else with sample data. Template errors throw `template_error`.
 */
export async function previewStep(db: Db, providers: Providers, input: StepPreviewInput & { journeyId: string }): Promise<StepPreview> {
	const { node } = input;
	const channel = channelOfStep(node);
	const event = eventOf(input.entryEvent);
	if (input.customerId === undefined) return { channel, customerId: null, to: null, ...(await renderSample(providers, node, event)) };
	const result = await previewMessage(
		db,
		providers,
		sendInput(node, { idempotencyKey: `preview:${randomUUID()}`, customerId: input.customerId, journeyId: input.journeyId, nodeId: node.id, event })
	);
	if (!result.ok) {
		if (result.reason === 'template_error') throw templateFailure(result.message);
		if (result.reason === 'no_address')
			throw new TestSendError(
				'no_address',
				channel === 'push'
					? 'This customer has not turned on notifications in any browser; preview with another customer or with sample data.'
					: `This customer has no ${channel === 'email' ? 'email address' : 'phone number'}; preview with another customer or with sample data.`
			);
		throw new TestSendError('customer_not_found', 'There is no customer with this id.');
	}
	const lastInbound = channel === 'whatsapp' ? await lastInboundWhatsApp(db, input.customerId) : null;
	return { channel, customerId: input.customerId, to: result.to, ...shapePreview(channel, result.subject, result.body, result.meta, lastInbound) };
}

async function recentTestSends(db: Db, requestedBy: string, now: Date): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(messages)
		.where(
			and(
				gt(messages.createdAt, new Date(now.getTime() - TEST_SEND_WINDOW_MS)),
				sql`${messages.meta}->>'test' = 'true'`,
				sql`${messages.meta}->>'requestedBy' = ${requestedBy}`
			)
		);
	return row?.n ?? 0;
}

export type TestSendResult = { messageId: string; channel: PreviewChannel; provider: string; to: string; status: string; subject: string | null };

/** The sample customer as a recipient, for a test send when nobody is chosen and nobody owns the address. */
function sampleRecipient(providers: Providers): Recipient {
	const { customer } = sampleContext(providers, undefined);
	const { id, ...traits } = customer;
	return { customerId: id, traits, timezone: null, consent: {}, erased: false, email: null, phone: null, whatsapp: null, emails: [], phones: [] };
}

/**
 * Sends one test of a message step to `to` through the configured provider (or the outbox), rendered with
 * `customerId`'s data — or, without one, the data of the customer who owns `to`, else the sample customer's. Consent, suppressions, quiet
 * hours and caps do not apply: a member of staff asked for it, at an address they typed.
 */
export async function sendTestMessage(
	db: Db,
	providers: Providers,
	input: TestSendInput & { journeyId: string; requestedBy: string; now?: Date }
): Promise<TestSendResult> {
	const now = input.now ?? new Date();
	const { node } = input;
	const channel = channelOfStep(node);
	if (channel === 'push')
		throw new TestSendError(
			'unsupported_channel',
			'A push goes to browsers, not to an address: turn notifications on in the shop as a customer, then preview for them.'
		);
	const to = channel === 'email' ? normalizeEmail(input.to) : normalizePhone(input.to);
	if (!to)
		throw new TestSendError(
			'invalid_address',
			channel === 'email' ? `“${input.to}” is not an email address.` : `“${input.to}” is not a phone number; use the international format (+33…).`
		);
	if ((await recentTestSends(db, input.requestedBy, now)) >= TEST_SEND_LIMIT)
		throw new TestSendError('rate_limited', `At most ${TEST_SEND_LIMIT} test sends per ${TEST_SEND_WINDOW_MS / 60_000} minutes; try again shortly.`, {
			retryAfterSeconds: Math.ceil(TEST_SEND_WINDOW_MS / 1000)
		});

	const customerId = input.customerId ?? (await customerByIdentity(db, channel === 'email' ? 'email' : 'phone', to));
	const address = channel === 'whatsapp' ? whatsAppAddress(to) : to;
	const recipient = customerId ? await loadRecipient(db, customerId) : sampleRecipient(providers);
	if (!recipient) throw new TestSendError('customer_not_found', 'There is no customer with this id.');

	// Transactional: a test carries no unsubscribe link, which would opt the chosen customer out, not the tester.
	const base = sendInput(node, {
		idempotencyKey: `test:${randomUUID()}`,
		customerId: recipient.customerId,
		event: eventOf(input.entryEvent),
		purpose: 'transactional'
	});
	const draft = await draftMessage(db, providers, base, recipient, address, now);
	if (draft.status === 'failed') throw templateFailure(draft.error);
	const meta: Record<string, unknown> = { ...(draft.meta ?? {}), test: true, requestedBy: input.requestedBy, journeyId: input.journeyId, nodeId: node.id };
	const subject = channel === 'email' ? `${TEST_PREFIX}${draft.subject ?? ''}` : null;
	const body = channel === 'sms' || (channel === 'whatsapp' && draft.body) ? `${TEST_PREFIX}${draft.body}` : draft.body;
	const template = (draft.meta as { template?: { contentSid: string; variables: Record<string, string> } } | undefined)?.template;
	const { row } = await insertOrGet(db, {
		...draft,
		journeyId: null,
		enrollmentId: null,
		nodeId: null,
		subject,
		body,
		meta: channel === 'sms' ? { ...meta, ...smsSegments(body) } : meta
	});

	try {
		// A test to a typed number: the free text when the step has one (the tester's own window), else the template.
		const receipt =
			channel === 'sms'
				? await providers.sms.send({ to, body })
				: channel === 'whatsapp'
					? await providerOf(providers, 'whatsapp').send(draft.body || !template ? { to: address, body } : { to: address, template })
					: await providers.email.send({
							to,
							from: typeof meta.from === 'string' ? meta.from : providers.settings.emailFrom,
							subject: subject ?? '',
							...(meta.format === 'html' ? { html: body, ...(typeof meta.text === 'string' ? { text: meta.text } : {}) } : { text: body }),
							headers: {},
							customArgs: { omnicanal_message_id: row.id, omnicanal_test: 'true' }
						});
		const sent = await markSent(db, row.id, receipt, now);
		return { messageId: sent.id, channel, provider: sent.provider, to: address, status: sent.status, subject };
	} catch (err) {
		if (!isChannelError(err)) throw err;
		// No retry for a test: record the failure so the outbox shows it, and tell the marketer now.
		await markFinal(db, row.id, 'failed', err.message, now, { errorCode: err.info.code });
		const provider = providerOf(providers, channel).name;
		throw new TestSendError('provider_error', `${provider} refused the test: ${err.message}`, { messageId: row.id, provider });
	}
}
