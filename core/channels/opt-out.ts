import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { messages } from '../db/schema/messages';
import { setConsent, suppress, unsuppress } from './consent';
import { loadRecipient } from './recipients';
import { recordMessageEvent } from './status';
import type { UnsubscribeClaim } from './unsubscribe';

/**
 * Applies an unsubscribe link: the channel's consent becomes "no" on the profile and the address the
 * message went to is suppressed (so even a transactional send or a merged profile will not reach it).
 * Idempotent: a second click changes nothing.
 */
export async function applyUnsubscribe(db: Db, claim: UnsubscribeClaim, now: Date): Promise<{ address: string | null }> {
	const [message] = claim.messageId ? await db.select().from(messages).where(eq(messages.id, claim.messageId)) : [];
	const recipient = await loadRecipient(db, claim.customerId);
	const address = message?.to || (claim.channel === 'email' ? recipient?.email : recipient?.phone) || null;
	await setConsent(db, claim.customerId, claim.channel, false, 'unsubscribe_link', now);
	if (address) await suppress(db, claim.channel, address, 'unsubscribe', now);
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
