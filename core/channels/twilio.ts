import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { httpError, networkError, PermanentChannelError } from './errors';
import { smsSegments } from './sms-parts';
import type { OutgoingSms, ProviderReceipt, SmsProvider } from './types';

/** Sends every Twilio domain's requests (api., messaging., …) to one base URL: a mock server in tests. */
class BaseUrlRequestClient extends twilio.RequestClient {
	constructor(
		private readonly baseUrl: string,
		options: { timeout: number }
	) {
		super(options);
	}

	override request<TData>(options: RequestClient.RequestOptions<TData>) {
		const uri = options.uri.replace(/^https:\/\/[a-z0-9.-]+\.twilio\.com/i, this.baseUrl.replace(/\/+$/, ''));
		return super.request<TData>({ ...options, uri });
	}
}

export type TwilioOptions = {
	accountSid: string;
	authToken: string;
	/** Preferred: a Messaging Service picks the sender (and handles STOP); else a fixed From number. */
	messagingServiceSid?: string;
	from?: string;
	baseUrl?: string;
	timeoutMs?: number;
};

type TwilioFailure = { status?: number; code?: number; message: string; moreInfo?: string };

/** Twilio error codes that mean "this recipient cannot get texts from us": recorded as a suppression. */
export const TWILIO_OPTED_OUT = 21610;

export class TwilioSmsProvider implements SmsProvider {
	readonly channel = 'sms';
	readonly name = 'twilio';
	private readonly client: twilio.Twilio;

	constructor(private readonly options: TwilioOptions) {
		if (!options.messagingServiceSid && !options.from) throw new Error('Twilio needs TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM');
		const timeout = options.timeoutMs ?? 30_000;
		const httpClient = options.baseUrl ? new BaseUrlRequestClient(options.baseUrl, { timeout }) : new twilio.RequestClient({ timeout });
		this.client = twilio(options.accountSid, options.authToken, { httpClient });
	}

	async send(sms: OutgoingSms): Promise<ProviderReceipt> {
		const sender = this.options.messagingServiceSid ? { messagingServiceSid: this.options.messagingServiceSid } : { from: this.options.from! };
		try {
			const message = await this.client.messages.create({
				to: sms.to,
				body: sms.body,
				...sender,
				...(sms.statusCallback ? { statusCallback: sms.statusCallback } : {})
			});
			const counted = smsSegments(sms.body);
			return {
				providerMessageId: message.sid ?? null,
				status: 'queued',
				meta: { segments: Number(message.numSegments) || counted.segments, encoding: counted.encoding }
			};
		} catch (err) {
			const failure = err as TwilioFailure;
			if (failure.code === TWILIO_OPTED_OUT)
				throw new PermanentChannelError(`twilio: recipient opted out (${failure.message})`, {
					provider: this.name,
					status: failure.status,
					code: 'recipient_opted_out'
				});
			if (typeof failure.status === 'number' && failure.status >= 400)
				throw httpError(
					this.name,
					failure.status,
					failure.message,
					{ code: failure.code, moreInfo: failure.moreInfo },
					failure.code ? `twilio_${failure.code}` : undefined
				);
			throw networkError(this.name, err) ?? err;
		}
	}
}
