import { MailService } from '@sendgrid/mail';
import { httpError, networkError } from './errors';
import type { EmailProvider, LookupAnswer, OutgoingEmail, ProviderReceipt, SentLookup } from './types';

export type SendGridOptions = {
	apiKey: string;
	baseUrl?: string;
	timeoutMs?: number;
	/**
	 * The account has Email Activity history (a paid add-on) and the key may read it: an attempt whose answer
	 * was lost is looked up there by our custom args. Without it only the event webhook can tell.
	 */
	emailActivity?: boolean;
	/** Email Activity indexes a message within minutes: absent for this long after the attempt = not sent. */
	activitySettleMs?: number;
};

/** The SDK's typings hide the HTTP client that MailService wraps; this is the part we touch. */
type ClientInside = {
	client: {
		setDefaultRequest(key: 'baseUrl', value: string): unknown;
		request(data: { method: 'GET'; url: string; qs: Record<string, string | number> }): Promise<[unknown, unknown]>;
	};
};

type ActivityMessage = { msg_id?: unknown; status?: unknown };

/** SendGrid's X-Message-Id is the first part of the Email Activity msg_id (`<x-message-id>.filter…`). */
function xMessageId(msgId: string): string {
	return msgId.split('.')[0] ?? msgId;
}

type SendGridFailure = { code?: number; message: string; response?: { body?: unknown } };

/** Email through SendGrid's v3 mail/send, with our ids in personalizations[].custom_args for the event webhook. */
export class SendGridEmailProvider implements EmailProvider {
	readonly channel = 'email';
	readonly name = 'sendgrid';
	private readonly service = new MailService();

	constructor(private readonly options: SendGridOptions) {
		this.service.setApiKey(options.apiKey);
		// setApiKey resets the base URL to SendGrid's regional host, so the override must come after it.
		if (options.baseUrl) (this.service as unknown as ClientInside).client.setDefaultRequest('baseUrl', options.baseUrl);
		this.service.setTimeout(options.timeoutMs ?? 30_000);
	}

	async send(email: OutgoingEmail): Promise<ProviderReceipt> {
		const content = email.html !== undefined ? { html: email.html, ...(email.text !== undefined ? { text: email.text } : {}) } : { text: email.text ?? '' };
		try {
			const [response] = await this.service.send({
				from: email.from,
				...(email.replyTo ? { replyTo: email.replyTo } : {}),
				subject: email.subject,
				...content,
				headers: email.headers,
				// Not the top-level custom_args: SendGrid's published contract types that one as a string.
				personalizations: [{ to: [{ email: email.to }], customArgs: email.customArgs }]
			});
			const id = response.headers['x-message-id'];
			return { providerMessageId: typeof id === 'string' ? id : null, status: 'sent' };
		} catch (err) {
			const failure = err as SendGridFailure;
			if (typeof failure.code === 'number' && failure.code >= 400) throw httpError(this.name, failure.code, failure.message, failure.response?.body);
			throw networkError(this.name, err) ?? err;
		}
	}

	/**
	 * Looks an attempt up in Email Activity by the custom arg we sent with it (`omnicanal_message_id`). Found:
	 * sent. Absent once Email Activity has had time to index it: not sent. Email Activity not on the account
	 * (403/404) or not configured: `unavailable`, and the caller waits for the event webhook instead.
	 */
	async lookup(attempt: SentLookup): Promise<LookupAnswer> {
		if (!this.options.emailActivity) return { state: 'unavailable', why: 'Email Activity lookups are not configured (SENDGRID_EMAIL_ACTIVITY)' };
		const query = `unique_args['omnicanal_message_id']="${attempt.messageId}"`;
		let body: unknown;
		try {
			[, body] = await (this.service as unknown as ClientInside).client.request({ method: 'GET', url: '/v3/messages', qs: { query, limit: 10 } });
		} catch (err) {
			const failure = err as SendGridFailure;
			if (failure.code === 403 || failure.code === 404) return { state: 'unavailable', why: `Email Activity answered ${failure.code}` };
			return { state: 'wait', why: `Email Activity lookup failed: ${failure.message}` };
		}
		const found = ((body as { messages?: ActivityMessage[] } | null)?.messages ?? []).find((m) => typeof m.msg_id === 'string');
		if (found)
			return { state: 'sent', receipt: { providerMessageId: xMessageId(found.msg_id as string), status: 'sent', meta: { recoveredBy: 'email_activity' } } };
		const settle = this.options.activitySettleMs ?? 10 * 60_000;
		return attempt.now.getTime() - attempt.since.getTime() >= settle
			? { state: 'not_sent' }
			: { state: 'wait', why: 'not in Email Activity yet (it indexes within minutes)' };
	}
}
