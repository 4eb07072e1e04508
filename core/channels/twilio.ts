import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { httpError, networkError, PermanentChannelError } from './errors';
import { smsSegments } from './sms-parts';
import type { LookupAnswer, OutgoingSms, ProviderReceipt, SentLookup, SmsProvider } from './types';

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

export type TwilioFailure = { status?: number; code?: number; message: string; moreInfo?: string };

/** A Twilio REST client with our timeout, pointed at `baseUrl` when given (the contract's mock server in tests). */
export function twilioClient(options: Pick<TwilioOptions, 'accountSid' | 'authToken' | 'baseUrl' | 'timeoutMs'>): twilio.Twilio {
	const timeout = options.timeoutMs ?? 30_000;
	const httpClient = options.baseUrl ? new BaseUrlRequestClient(options.baseUrl, { timeout }) : new twilio.RequestClient({ timeout });
	return twilio(options.accountSid, options.authToken, { httpClient });
}

/**
 * A failed Twilio call as our channel error: the opt-out code as `recipient_opted_out` (the caller suppresses),
 * `special` codes as the caller names them, other 4xx/5xx by status, and network failures as transient.
 */
export function twilioError(provider: string, err: unknown, special: Record<number, string> = {}): Error {
	const failure = err as TwilioFailure;
	if (failure.code === TWILIO_OPTED_OUT)
		return new PermanentChannelError(`twilio: recipient opted out (${failure.message})`, { provider, status: failure.status, code: 'recipient_opted_out' });
	const named = failure.code !== undefined ? special[failure.code] : undefined;
	if (named) return new PermanentChannelError(`twilio: ${failure.message}`, { provider, status: failure.status, code: named });
	if (typeof failure.status === 'number' && failure.status >= 400)
		return httpError(
			provider,
			failure.status,
			failure.message,
			{ code: failure.code, moreInfo: failure.moreInfo },
			failure.code ? `twilio_${failure.code}` : undefined
		);
	return networkError(provider, err) ?? (err as Error);
}

/** Twilio error codes that mean "this recipient cannot get texts from us": recorded as a suppression. */
export const TWILIO_OPTED_OUT = 21610;

/** Clock skew between us and Twilio tolerated when matching an attempt to a message Twilio created. */
const SKEW_MS = 2 * 60_000;

type TwilioMessage = Awaited<ReturnType<twilio.Twilio['messages']['list']>>[number];

/**
 * The recipient's 50 newest messages, to find an attempt whose answer was lost (Twilio creates the message
 * before it answers), or why Twilio could not be asked. Not filtered by `dateSentAfter`: a message still queued
 * in Twilio (throughput limits) has no date_sent yet and would be missed.
 */
export async function recentMessages(client: twilio.Twilio, to: string): Promise<TwilioMessage[] | { why: string }> {
	try {
		return await client.messages.list({ to, pageSize: 50, limit: 50 });
	} catch (err) {
		const failure = err as TwilioFailure;
		return { why: `Twilio lookup failed: ${failure.status ?? ''} ${failure.message}`.trim() };
	}
}

/** Messages Twilio created since the attempt (give or take clock skew). */
export function createdSince(messages: TwilioMessage[], since: Date): TwilioMessage[] {
	const from = since.getTime() - SKEW_MS;
	return messages.filter((m) => (m.dateCreated ? m.dateCreated.getTime() >= from : true));
}

export class TwilioSmsProvider implements SmsProvider {
	readonly channel = 'sms';
	readonly name = 'twilio';
	private readonly client: twilio.Twilio;

	constructor(private readonly options: TwilioOptions) {
		if (!options.messagingServiceSid && !options.from) throw new Error('Twilio needs TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM');
		this.client = twilioClient(options);
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
			throw twilioError(this.name, err);
		}
	}

	/**
	 * Finds an attempt whose answer was lost: the recipient's newest messages, one created since the attempt,
	 * from our sender, with exactly the body we stored. Twilio creates the message before it answers, so an
	 * answered list without it is a confirmed non-send. The status callback URL carries
	 * our id too (`?m=`), but Twilio does not echo it in the resource: a callback that arrived already moved the
	 * message's status on (core/channels/status.ts), so such an attempt never gets here.
	 */
	async lookup(attempt: SentLookup): Promise<LookupAnswer> {
		const recent = await recentMessages(this.client, attempt.to);
		if ('why' in recent) return { state: 'wait', why: recent.why };
		const ours = createdSince(recent, attempt.since).find(
			(m) =>
				m.body === attempt.body &&
				(this.options.messagingServiceSid ? m.messagingServiceSid === this.options.messagingServiceSid : m.from === this.options.from)
		);
		if (!ours) return { state: 'not_sent' };
		const counted = smsSegments(attempt.body);
		return {
			state: 'sent',
			receipt: {
				providerMessageId: ours.sid ?? null,
				status: 'queued',
				meta: { segments: Number(ours.numSegments) || counted.segments, encoding: counted.encoding, recoveredBy: 'twilio_list' }
			}
		};
	}
}
