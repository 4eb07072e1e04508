import { and, desc, eq, inArray } from 'drizzle-orm';
import type twilio from 'twilio';
import type { Db } from '../db/client';
import { events } from '../db/schema/events';
import { customerFamily } from '../identity/lookup';
import { createdSince, recentMessages, twilioClient, twilioError, type TwilioOptions } from './twilio';
import type { LookupAnswer, OutgoingWhatsApp, ProviderReceipt, SentLookup, WhatsAppProvider } from './types';

/**
 * WhatsApp through Twilio's Messages API (the SMS SDK): addresses are `whatsapp:+E164`. Free text may be sent
 * only within 24 hours of the customer's last message to us (WhatsApp's customer-service window); outside it,
 * an approved template (Twilio Content API: `ContentSid` + `ContentVariables`).
 */

export const WHATSAPP_PREFIX = 'whatsapp:';
/** WhatsApp's customer-service window: free-form messages within 24 h of the customer's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 3600_000;
/** The event an inbound WhatsApp message records on the customer (core/channels/webhooks/twilio.ts). */
export const WHATSAPP_RECEIVED = 'whatsapp_received';
/** Twilio's "outside the allowed window" error: our record of the window missed a message, or it just closed. */
export const TWILIO_OUTSIDE_WINDOW = 63016;

export function whatsAppAddress(e164: string): string {
	return e164.startsWith(WHATSAPP_PREFIX) ? e164 : `${WHATSAPP_PREFIX}${e164}`;
}

/** The E.164 number of a `whatsapp:` address (what suppressions and identities hold). */
export function phoneOfWhatsApp(address: string): string {
	return address.startsWith(WHATSAPP_PREFIX) ? address.slice(WHATSAPP_PREFIX.length) : address;
}

/** When the customer (any of their merged profiles) last wrote to us on WhatsApp; null if never. */
export async function lastInboundWhatsApp(db: Db, customerId: string): Promise<Date | null> {
	const family = await customerFamily(db, customerId);
	if (family.length === 0) return null;
	const [row] = await db
		.select({ at: events.timestamp })
		.from(events)
		.where(and(inArray(events.customerId, family), eq(events.name, WHATSAPP_RECEIVED)))
		.orderBy(desc(events.timestamp))
		.limit(1);
	return row?.at ?? null;
}

export type WhatsAppMode = { mode: 'session' | 'template'; lastInbound: Date | null } | { mode: 'closed'; lastInbound: Date | null };

/**
 * What may be sent now: free text inside the window (when the step has text), the template otherwise (when it
 * has one), else nothing (`closed`). Pure: the window is decided from the last inbound time passed in.
 */
export function whatsAppMode(lastInbound: Date | null, now: Date, content: { hasBody: boolean; hasTemplate: boolean }): WhatsAppMode {
	const open = lastInbound !== null && now.getTime() - lastInbound.getTime() < WHATSAPP_WINDOW_MS;
	if (open && content.hasBody) return { mode: 'session', lastInbound };
	if (content.hasTemplate) return { mode: 'template', lastInbound };
	return { mode: 'closed', lastInbound };
}

export type TwilioWhatsAppOptions = Omit<TwilioOptions, 'from' | 'messagingServiceSid'> & {
	/** Our WhatsApp sender, `whatsapp:+E164` (or the bare number); TWILIO_WHATSAPP_FROM. */
	from: string;
};

export class TwilioWhatsAppProvider implements WhatsAppProvider {
	readonly channel = 'whatsapp';
	readonly name = 'twilio';
	private readonly client: twilio.Twilio;
	private readonly from: string;

	constructor(options: TwilioWhatsAppOptions) {
		this.client = twilioClient(options);
		this.from = whatsAppAddress(options.from);
	}

	async send(message: OutgoingWhatsApp): Promise<ProviderReceipt> {
		const content = message.template
			? { contentSid: message.template.contentSid, contentVariables: JSON.stringify(message.template.variables) }
			: { body: message.body };
		try {
			const sent = await this.client.messages.create({
				to: whatsAppAddress(message.to),
				from: this.from,
				...content,
				...(message.statusCallback ? { statusCallback: message.statusCallback } : {})
			});
			return { providerMessageId: sent.sid ?? null, status: 'queued', meta: { mode: message.template ? 'template' : 'session' } };
		} catch (err) {
			throw twilioError(this.name, err, { [TWILIO_OUTSIDE_WINDOW]: 'outside_24h_window' });
		}
	}

	/**
	 * An attempt whose answer was lost, as for SMS (core/channels/twilio.ts): no message from our sender to this
	 * number since the attempt is a confirmed non-send; one with the text we stored is ours. A template message
	 * carries Twilio's rendering of the template, not our text, so one from us with another text cannot be told
	 * apart from a different step's: that stays undecided (a status callback may still settle it), never re-sent.
	 */
	async lookup(attempt: SentLookup): Promise<LookupAnswer> {
		const recent = await recentMessages(this.client, whatsAppAddress(attempt.to));
		if ('why' in recent) return { state: 'wait', why: recent.why };
		const fromUs = createdSince(recent, attempt.since).filter((m) => m.from === this.from);
		if (fromUs.length === 0) return { state: 'not_sent' };
		const same = attempt.body.trim() === '' ? undefined : fromUs.find((m) => m.body === attempt.body);
		if (same)
			return { state: 'sent', receipt: { providerMessageId: same.sid ?? null, status: 'queued', meta: { mode: 'session', recoveredBy: 'twilio_list' } } };
		return { state: 'wait', why: 'Twilio lists a message from us to this number since the attempt, but not with its text (a template cannot be matched)' };
	}
}
