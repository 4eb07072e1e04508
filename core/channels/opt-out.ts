import { createHash } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { smsKeywords } from '../db/schema/inbound';
import { messages } from '../db/schema/messages';
import { keyedHash, privacyHashKey } from '../privacy/keyed-hash';
import { setConsent, suppress, unsuppress } from './consent';
import { loadRecipient } from './recipients';
import { recordMessageEvent } from './status';
import type { UnsubscribeClaim } from './unsubscribe';
import { phoneOfWhatsApp } from './whatsapp';

/**
 * Applies an unsubscribe link: the channel's consent becomes "no" on the profile and the address the
 * message went to is suppressed (so even a transactional send or a merged profile will not reach it).
 * Idempotent: a second click changes nothing.
 */
export async function applyUnsubscribe(db: Db, claim: UnsubscribeClaim, now: Date): Promise<{ address: string | null }> {
	const [message] = claim.messageId ? await db.select().from(messages).where(eq(messages.id, claim.messageId)) : [];
	const recipient = await loadRecipient(db, claim.customerId);
	const fallback =
		claim.channel === 'email' ? recipient?.email : claim.channel === 'sms' ? recipient?.phone : claim.channel === 'whatsapp' ? recipient?.whatsapp : null;
	const address = (claim.channel !== 'push' && (message?.to || fallback)) || null;
	await setConsent(db, claim.customerId, claim.channel, false, 'unsubscribe_link', now);
	// Push has no address to suppress: consent off stops every send, and the browsers stay subscribed until the customer says otherwise there.
	if (address && claim.channel !== 'push')
		await suppress(db, claim.channel, claim.channel === 'whatsapp' ? phoneOfWhatsApp(address) : address, 'unsubscribe', now);
	if (message)
		await recordMessageEvent(db, {
			messageId: message.id,
			status: 'unsubscribed',
			providerEventId: `unsubscribe:${message.id}`,
			raw: { source: 'link' },
			at: now
		});
	return { address };
}

/** Customer texted STOP (or a synonym): SMS consent off, number suppressed. */
export async function smsOptOut(db: Db, customerId: string | null, phone: string, now: Date): Promise<void> {
	await suppress(db, 'sms', phone, 'sms_stop', now);
	if (customerId) await setConsent(db, customerId, 'sms', false, 'sms_stop', now);
}

/** Customer texted START (or a synonym): the number may receive texts again. */
export async function smsOptIn(db: Db, customerId: string | null, phone: string, now: Date): Promise<void> {
	await unsuppress(db, 'sms', phone);
	if (customerId) await setConsent(db, customerId, 'sms', true, 'sms_start', now);
}

export type SmsKeywordOutcome = 'applied' | 'replayed' | 'superseded';

/** Customer wrote STOP on WhatsApp: WhatsApp consent off and the number suppressed there — their SMS stay as they were. */
export async function whatsAppOptOut(db: Db, customerId: string | null, phone: string, now: Date): Promise<void> {
	await suppress(db, 'whatsapp', phone, 'whatsapp_stop', now);
	if (customerId) await setConsent(db, customerId, 'whatsapp', false, 'whatsapp_stop', now);
}

export async function whatsAppOptIn(db: Db, customerId: string | null, phone: string, now: Date): Promise<void> {
	await unsuppress(db, 'whatsapp', phone);
	if (customerId) await setConsent(db, customerId, 'whatsapp', true, 'whatsapp_start', now);
}

/**
 * The number as stored beside its keywords: keyed like erased suppressions, so the table names nobody. Per
 * channel: a WhatsApp STOP and an SMS START of the same number are ordered apart.
 */
function numberHash(phone: string, channel: 'sms' | 'whatsapp'): string {
	const key = privacyHashKey();
	return key
		? keyedHash(key, channel, phone)
		: `sha256:${createHash('sha256')
				.update(`${channel === 'sms' ? '' : 'whatsapp:'}${phone}`)
				.digest('hex')}`;
}

/**
 * A STOP or START text (SMS, or WhatsApp with `channel: 'whatsapp'`), applied at most once and in message order. Twilio's webhook signature has no timestamp,
 * so a captured STOP stays validly signed forever: the MessageSid is remembered (a replay changes nothing), and a
 * keyword older than one already applied for the number does not override it (a STOP delivered after a later
 * START). `sentAt` is the text's time, which Twilio's inbound webhook does not send: callers pass when it reached
 * us. Without a MessageSid (not from Twilio) the keyword applies as before.
 */
export async function applySmsKeyword(
	db: Db,
	input: { keyword: 'stop' | 'start'; customerId: string | null; phone: string; messageSid: string | null; sentAt: Date; channel?: 'sms' | 'whatsapp' }
): Promise<SmsKeywordOutcome> {
	const channel = input.channel ?? 'sms';
	if (input.messageSid) {
		const hash = numberHash(input.phone, channel);
		const [fresh] = await db
			.insert(smsKeywords)
			.values({ messageSid: input.messageSid, numberHash: hash, keyword: input.keyword, sentAt: input.sentAt })
			.onConflictDoNothing()
			.returning({ sid: smsKeywords.messageSid });
		if (!fresh) return 'replayed';
		const [later] = await db
			.select({ sid: smsKeywords.messageSid })
			.from(smsKeywords)
			.where(and(eq(smsKeywords.numberHash, hash), gt(smsKeywords.sentAt, input.sentAt)))
			.limit(1);
		if (later) return 'superseded';
	}
	const [optOut, optIn] = channel === 'sms' ? [smsOptOut, smsOptIn] : [whatsAppOptOut, whatsAppOptIn];
	if (input.keyword === 'stop') await optOut(db, input.customerId, input.phone, input.sentAt);
	else await optIn(db, input.customerId, input.phone, input.sentAt);
	return 'applied';
}
