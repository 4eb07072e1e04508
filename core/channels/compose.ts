import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import type { messages } from '../db/schema/messages';
import { findOffer, latestOfferForEnrollment } from '../offers/query';
import { formatOfferValue, type OfferView } from '../offers/view';
import { PermanentChannelError } from './errors';
import type { SkipReason } from './consent';
import type { Recipient } from './recipients';
import { smsSegments } from './sms-parts';
import { renderTemplate, type TemplateContext, type TemplateOffer } from './template';
import type { Providers } from './types';
import { providerOf } from './outbox';
import { unsubscribeUrl } from './unsubscribe';
import type { SendMessageInput } from './send';

type Draft = typeof messages.$inferInsert;

function templateOffer(offer: OfferView | null, publicUrl: string): TemplateOffer | null {
	if (!offer) return null;
	return {
		code: offer.code,
		title: offer.title,
		kind: offer.kind,
		value: offer.value,
		currency: offer.currency,
		display: formatOfferValue(offer),
		expiresAt: offer.expiresAt,
		qrUrl: `${publicUrl}/api/v1/offers/${encodeURIComponent(offer.code)}/qr.png`
	};
}

/** Every template text of the message, as the step wrote them. */
function templateTexts(input: SendMessageInput): Array<string | undefined> {
	if (input.channel === 'email') return [input.email.subject, input.email.html, input.email.text];
	if (input.channel === 'sms') return [input.sms.body];
	if (input.channel === 'push') return [input.push.title, input.push.body, input.push.url];
	return [input.whatsapp.body, ...Object.values(input.whatsapp.template?.variables ?? {})];
}

/**
 * `{{ offer }}`: the code the node names, else the offer this enrollment granted last. Looked up only when a
 * template can use it (its text names `offer` at all): most messages do not, and it is a read per send.
 */
async function offerFor(db: Db, input: SendMessageInput, now: Date): Promise<OfferView | null> {
	if (!templateTexts(input).some((t) => t?.includes('offer'))) return null;
	if (input.offerCode) return findOffer(db, input.offerCode, now);
	return input.enrollmentId ? latestOfferForEnrollment(db, input.enrollmentId, now) : null;
}

/**
 * Where a notification's click goes: an absolute http(s) URL, or a path on our public URL. Anything else (a
 * `javascript:` URL a template produced) is a template error, not something a service worker should open.
 */
export function pushUrl(rendered: string, publicUrl: string): string {
	let url: URL;
	try {
		url = new URL(rendered, `${publicUrl}/`);
	} catch {
		throw new PermanentChannelError(`template error: the push URL “${rendered.slice(0, 100)}” is not a URL`, { provider: 'template', code: 'template_error' });
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		throw new PermanentChannelError(`template error: the push URL must be http(s), not ${url.protocol}`, { provider: 'template', code: 'template_error' });
	return url.toString();
}

/** Marketing e-mail must carry a visible way out; add one when the template does not use `links.unsubscribe`. */
function withFooter(content: string, url: string, mode: 'html' | 'text'): string {
	if (content.includes(url)) return content;
	return mode === 'html'
		? `${content}\n<p style="font-size:12px;color:#64748b">Don't want these e-mails? <a href="${url}">Unsubscribe</a>.</p>`
		: `${content}\n\nUnsubscribe: ${url}`;
}

/**
 * Renders the message for one recipient into the row that sendMessage stores before sending. The rendered
 * content is stored, so a retry sends exactly what the first attempt drafted; a template error drafts a
 * `failed` row (retrying cannot fix a template).
 */
export async function draftMessage(db: Db, providers: Providers, input: SendMessageInput, recipient: Recipient, address: string, now: Date): Promise<Draft> {
	const id = randomUUID();
	const { publicUrl, appSecret } = providers.settings;
	const marketing = (input.purpose ?? 'marketing') === 'marketing';
	const unsubscribe = unsubscribeUrl(publicUrl, appSecret, { customerId: recipient.customerId, channel: input.channel, messageId: id });
	const offer = await offerFor(db, input, now);
	const context: TemplateContext = {
		customer: { ...recipient.traits, id: recipient.customerId, timezone: recipient.timezone },
		event: input.event ?? {},
		offer: templateOffer(offer, publicUrl),
		links: { unsubscribe }
	};
	const base: Draft = {
		id,
		idempotencyKey: input.idempotencyKey,
		channel: input.channel,
		provider: providerOf(providers, input.channel).name,
		customerId: recipient.customerId,
		journeyId: input.journeyId ?? null,
		enrollmentId: input.enrollmentId ?? null,
		nodeId: input.nodeId ?? null,
		to: address,
		body: '',
		createdAt: now,
		updatedAt: now
	};
	const common = { offerCode: offer?.code ?? null, purpose: marketing ? 'marketing' : 'transactional' };
	try {
		if (input.channel === 'sms') {
			const body = await renderTemplate(input.sms.body, context, 'text');
			const { segments, encoding } = smsSegments(body);
			return { ...base, body, meta: { ...common, segments, encoding } };
		}
		if (input.channel === 'whatsapp') {
			const { whatsapp } = input;
			const body = whatsapp.body?.trim() ? await renderTemplate(whatsapp.body, context, 'text') : '';
			const variables: Record<string, string> = {};
			for (const [key, source] of Object.entries(whatsapp.template?.variables ?? {})) variables[key] = (await renderTemplate(source, context, 'text')).trim();
			const template = whatsapp.template ? { contentSid: whatsapp.template.contentSid, variables } : undefined;
			return { ...base, body, meta: { ...common, ...(template ? { template } : {}) } };
		}
		if (input.channel === 'push') {
			const { push } = input;
			const title = (await renderTemplate(push.title, context, 'text')).trim();
			const body = (await renderTemplate(push.body, context, 'text')).trim();
			const url = pushUrl(push.url?.trim() ? (await renderTemplate(push.url, context, 'text')).trim() : '/', publicUrl);
			return { ...base, subject: title, body, meta: { ...common, url } };
		}
		const { email } = input;
		const subject = (await renderTemplate(email.subject, context, 'text')).trim();
		let html = email.html !== undefined && email.html.trim() !== '' ? await renderTemplate(email.html, context, 'html') : undefined;
		let text = email.text !== undefined && email.text.trim() !== '' ? await renderTemplate(email.text, context, 'text') : undefined;
		if (marketing) {
			if (html !== undefined) html = withFooter(html, unsubscribe, 'html');
			if (text !== undefined) text = withFooter(text, unsubscribe, 'text');
		}
		return {
			...base,
			subject,
			body: html ?? text ?? '',
			meta: {
				...common,
				format: html !== undefined ? 'html' : 'text',
				...(html !== undefined && text !== undefined ? { text } : {}),
				from: email.from ?? providers.settings.emailFrom,
				...(email.replyTo ? { replyTo: email.replyTo } : {}),
				...(marketing ? { unsubscribeUrl: unsubscribe } : {})
			}
		};
	} catch (err) {
		if (!(err instanceof PermanentChannelError)) throw err;
		return { ...base, status: 'failed', error: err.message, meta: { ...common, errorCode: err.info.code } };
	}
}

/** The row for a send that cannot even be drafted (nobody, or no address): recorded so the funnel shows why. */
export function skippedDraft(providers: Providers, input: SendMessageInput, customerId: string, reason: SkipReason, now: Date): Draft {
	return {
		id: randomUUID(),
		idempotencyKey: input.idempotencyKey,
		channel: input.channel,
		provider: providerOf(providers, input.channel).name,
		customerId,
		journeyId: input.journeyId ?? null,
		enrollmentId: input.enrollmentId ?? null,
		nodeId: input.nodeId ?? null,
		to: '',
		body: '',
		status: 'skipped',
		error: reason,
		createdAt: now,
		updatedAt: now
	};
}
