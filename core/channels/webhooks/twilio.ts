import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import twilio from 'twilio';
import type { Db } from '../../db/client';
import { events } from '../../db/schema/events';
import { messages, type MessageStatus } from '../../db/schema/messages';
import { customerByIdentity } from '../../identity/lookup';
import { normalizePhone } from '../../identity/normalize';
import { applySmsKeyword, type SmsKeywordOutcome } from '../opt-out';
import { recordMessageEvent } from '../status';
import { phoneOfWhatsApp, WHATSAPP_PREFIX, WHATSAPP_RECEIVED } from '../whatsapp';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/**
 * Twilio signs the full URL it called (as configured: scheme, host, path, query) plus the sorted POST
 * parameters with HMAC-SHA1 under the auth token. Behind a proxy the request URL we see differs, so the
 * caller passes the public URL (PUBLIC_URL + path + query).
 */
export function verifyTwilioSignature(input: { authToken: string; signature: string; url: string; params: Record<string, string> }): boolean {
	return twilio.validateRequest(input.authToken, input.signature, input.url, input.params);
}

const statusFor: Record<string, MessageStatus> = {
	accepted: 'queued',
	scheduled: 'queued',
	queued: 'queued',
	sending: 'sent',
	sent: 'sent',
	delivered: 'delivered',
	read: 'opened',
	undelivered: 'undelivered',
	failed: 'failed',
	canceled: 'failed'
};

/** Records a status callback. `messageId` is ours, from the callback URL; else the SID finds the message. */
export async function recordTwilioStatus(
	db: Db,
	params: Record<string, string>,
	messageId: string | null,
	now: Date
): Promise<'recorded' | 'duplicate' | 'unmatched' | 'ignored'> {
	const twilioStatus = params.MessageStatus ?? params.SmsStatus ?? '';
	const status = statusFor[twilioStatus];
	if (!status) return 'ignored';
	const sid = params.MessageSid ?? params.SmsSid ?? '';
	const [row] = messageId
		? await db.select({ id: messages.id }).from(messages).where(eq(messages.id, messageId))
		: sid
			? await db.select({ id: messages.id }).from(messages).where(eq(messages.providerMessageId, sid))
			: [];
	if (!row) return 'unmatched';
	// Twilio sends no event id; one status per message SID happens once.
	return recordMessageEvent(db, { messageId: row.id, status, providerEventId: `twilio:${sid || row.id}:${twilioStatus}`, raw: params, at: now });
}

/** The carrier-standard keywords (CTIA; Twilio's Advanced Opt-Out defaults), matched on the whole message. */
const STOP = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const START = new Set(['START', 'UNSTOP', 'YES']);
const HELP = new Set(['HELP', 'INFO']);

export type SmsKeyword = 'stop' | 'start' | 'help' | null;

export function smsKeyword(body: string): SmsKeyword {
	const word = body
		.trim()
		.toUpperCase()
		.replace(/[\s.!?-]+/g, '');
	if (STOP.has(word)) return 'stop';
	if (START.has(word)) return 'start';
	if (HELP.has(word)) return 'help';
	return null;
}

export type InboundResult = {
	keyword: SmsKeyword;
	customerId: string | null;
	reply: string | null;
	eventIds: string[];
	/** For STOP/START from a valid number: applied, or ignored as a replay or as older than the number's latest keyword. */
	optOut?: SmsKeywordOutcome;
};

/**
 * An inbound text: STOP and its synonyms switch SMS off for the number (consent and suppression), START
 * and its synonyms switch it back on — each once per MessageSid and never over a later keyword (applySmsKeyword),
 * HELP gets an answer. Every inbound text from a known customer also
 * becomes an `sms_received` event, so journeys can wait for a reply and staff see it on the timeline.
 */
export async function handleInboundSms(db: Db, params: Record<string, string>, options: { helpText: string; now: Date }): Promise<InboundResult> {
	if ((params.From ?? '').trim().startsWith(WHATSAPP_PREFIX)) return handleInboundWhatsApp(db, params, options.now);
	const { keyword, customerId, optOut, eventIds } = await recordInbound(db, params, {
		from: (params.From ?? '').trim(),
		channel: 'sms',
		event: 'sms_received',
		now: options.now
	});
	// STOP/START: Twilio (Advanced Opt-Out) answers those itself; a second reply would be noise.
	return { keyword, customerId, reply: keyword === 'help' ? options.helpText : null, eventIds, ...(optOut ? { optOut } : {}) };
}

export const WHATSAPP_STOP_REPLY = 'You will no longer get WhatsApp messages from us. Reply START to get them again.';
export const WHATSAPP_START_REPLY = 'You will get our WhatsApp messages again. Reply STOP to stop them.';
export const WHATSAPP_HELP_REPLY = 'Reply STOP to stop our WhatsApp messages, START to get them again.';

/**
 * A WhatsApp message to our sender (same webhook, `From: whatsapp:+…`). It opens the customer's 24-hour window:
 * recorded as a `whatsapp_received` event, whose time core/channels/whatsapp.ts reads. STOP and its synonyms
 * switch off WhatsApp only (SMS consent is the customer's separate answer), START switches it back on, each once
 * per MessageSid; unlike SMS, Twilio does not answer those keywords on WhatsApp, so we confirm them.
 */
export async function handleInboundWhatsApp(db: Db, params: Record<string, string>, now: Date): Promise<InboundResult> {
	const { keyword, customerId, optOut, eventIds } = await recordInbound(db, params, {
		from: phoneOfWhatsApp((params.From ?? '').trim()),
		channel: 'whatsapp',
		event: WHATSAPP_RECEIVED,
		now,
		properties: { profileName: params.ProfileName ?? null },
		context: { channel: 'whatsapp' }
	});
	const reply = keyword === 'help' ? WHATSAPP_HELP_REPLY : optOut === 'applied' ? (keyword === 'stop' ? WHATSAPP_STOP_REPLY : WHATSAPP_START_REPLY) : null;
	return { keyword, customerId, reply, eventIds, ...(optOut ? { optOut } : {}) };
}

/**
 * What SMS and WhatsApp do alike with an inbound message: the sender's number (Twilio sends E.164; kept even when
 * our number metadata does not know the range), its keyword, STOP/START applied to `channel` only, and the message
 * recorded once per MessageSid as `event` on a known customer's timeline.
 */
async function recordInbound(
	db: Db,
	params: Record<string, string>,
	o: { from: string; channel: 'sms' | 'whatsapp'; event: string; now: Date; properties?: Record<string, unknown>; context?: Record<string, unknown> }
): Promise<Omit<InboundResult, 'reply'>> {
	const from = normalizePhone(o.from) ?? (/^\+\d{6,15}$/.test(o.from) ? o.from : null);
	const body = params.Body ?? '';
	const keyword = smsKeyword(body);
	const customerId = from ? await customerByIdentity(db, 'phone', from) : null;
	const optOut =
		from && (keyword === 'stop' || keyword === 'start')
			? await applySmsKeyword(db, {
					keyword,
					customerId,
					phone: from,
					messageSid: params.MessageSid || null,
					sentAt: o.now,
					...(o.channel === 'whatsapp' ? { channel: 'whatsapp' as const } : {})
				})
			: undefined;
	const eventIds: string[] = [];
	if (customerId && params.MessageSid) {
		const [row] = await db
			.insert(events)
			.values({
				id: randomUUID(),
				messageId: `twilio:${params.MessageSid}`,
				type: 'track',
				name: o.event,
				customerId,
				properties: { body, keyword, from, to: params.To ?? null, messageSid: params.MessageSid, ...o.properties },
				context: { source: 'twilio', ...o.context },
				timestamp: o.now
			})
			.onConflictDoNothing()
			.returning({ id: events.id });
		if (row) eventIds.push(row.id);
	}
	return { keyword, customerId, eventIds, ...(optOut ? { optOut } : {}) };
}

/** A TwiML answer: one reply message, or none. */
export function twimlReply(text: string | null): string {
	const response = new twilio.twiml.MessagingResponse();
	if (text) response.message(text);
	return response.toString();
}
