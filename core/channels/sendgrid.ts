import { MailService } from '@sendgrid/mail';
import { httpError, networkError } from './errors';
import type { EmailProvider, OutgoingEmail, ProviderReceipt } from './types';

export type SendGridOptions = { apiKey: string; baseUrl?: string; timeoutMs?: number };

/** The SDK's typings hide the HTTP client that MailService wraps; this is the part we touch. */
type ClientInside = { client: { setDefaultRequest(key: 'baseUrl', value: string): unknown } };

type SendGridFailure = { code?: number; message: string; response?: { body?: unknown } };

/** Email through SendGrid's v3 mail/send, with our ids in personalizations[].custom_args for the event webhook. */
export class SendGridEmailProvider implements EmailProvider {
	readonly channel = 'email';
	readonly name = 'sendgrid';
	private readonly service = new MailService();

	constructor(options: SendGridOptions) {
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
}
