import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { messages, type MessageStatus } from '../../db/schema/messages';
import { setConsent, suppress } from '../consent';
import { normalizeEmail } from '../../identity/normalize';
import { recordMessageEvent } from '../status';

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/** SendGrid shows the verification key as base64 DER (SubjectPublicKeyInfo); a PEM is accepted too. */
export function sendGridPublicKey(key: string): KeyObject {
	const trimmed = key.trim();
	return trimmed.startsWith('-----BEGIN') ? createPublicKey(trimmed) : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
}

/**
 * SendGrid's Signed Event Webhook: an ECDSA (P-256, SHA-256) signature, base64 DER, over the timestamp
 * header followed by the raw body exactly as received (so verify before parsing JSON).
 */
export function verifySendGridSignature(input: { publicKey: string | KeyObject; rawBody: string | Buffer; signature: string; timestamp: string }): boolean {
	try {
		const key = typeof input.publicKey === 'string' ? sendGridPublicKey(input.publicKey) : input.publicKey;
		const body = typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;
		return verify('sha256', Buffer.concat([Buffer.from(input.timestamp, 'utf8'), body]), key, Buffer.from(input.signature, 'base64'));
	} catch {
		return false;
	}
}

/** How old a signed batch may be: a captured request replayed later is refused (SendGrid retries within minutes). */
export const SENDGRID_REPLAY_WINDOW_SEC = 300;

/** The timestamp header (unix seconds) is within the replay window of `now`, in either direction. */
export function isFreshSendGridTimestamp(timestamp: string, now: Date, windowSec = SENDGRID_REPLAY_WINDOW_SEC): boolean {
	if (!/^\d{1,12}$/.test(timestamp)) return false;
	return Math.abs(now.getTime() / 1000 - Number(timestamp)) <= windowSec;
}

const SendGridEvent = z.looseObject({
	event: z.string(),
	email: z.string().optional(),
	timestamp: z.number().optional(),
	sg_event_id: z.string().optional(),
	sg_message_id: z.string().optional(),
	omnicanal_message_id: z.string().optional(),
	type: z.string().optional(),
	reason: z.string().optional()
});
export const SendGridEvents = z.array(SendGridEvent);
type SendGridEvent = z.infer<typeof SendGridEvent>;

const statusFor: Record<string, MessageStatus> = {
	processed: 'queued',
	deferred: 'sent',
	delivered: 'delivered',
	open: 'opened',
	click: 'clicked',
	bounce: 'bounced',
	dropped: 'dropped',
	spamreport: 'spam',
	unsubscribe: 'unsubscribed',
	group_unsubscribe: 'unsubscribed'
};

/** Why an address must not be mailed again, if this event says so. Blocks are temporary: no suppression. */
function suppressionReason(e: SendGridEvent): string | null {
	if (e.event === 'bounce') return e.type === 'blocked' ? null : 'bounce';
	if (e.event === 'spamreport') return 'spamreport';
	if (e.event === 'unsubscribe' || e.event === 'group_unsubscribe') return 'unsubscribe';
	if (e.event === 'dropped' && /bounced address|unsubscribed address|spam reporting address|invalid/i.test(e.reason ?? '')) return 'dropped';
	return null;
}

async function findMessage(db: Db, e: SendGridEvent): Promise<{ id: string; customerId: string } | undefined> {
	const pick = { id: messages.id, customerId: messages.customerId };
	if (e.omnicanal_message_id) {
		const [row] = await db.select(pick).from(messages).where(eq(messages.id, e.omnicanal_message_id));
		if (row) return row;
	}
	// sg_message_id is the X-Message-Id we stored plus a `.filter…` suffix.
	const providerId = e.sg_message_id?.split('.')[0];
	if (!providerId) return undefined;
	const [row] = await db.select(pick).from(messages).where(eq(messages.providerMessageId, providerId));
	return row;
}

export type WebhookSummary = { recorded: number; duplicates: number; unmatched: number; ignored: number };

/** Records a verified batch: message events and statuses, plus suppressions and consent for opt-outs. */
export async function recordSendGridEvents(db: Db, events: SendGridEvent[], now: Date): Promise<WebhookSummary> {
	const summary: WebhookSummary = { recorded: 0, duplicates: 0, unmatched: 0, ignored: 0 };
	for (const e of events) {
		const status = statusFor[e.event];
		const message = status ? await findMessage(db, e) : undefined;
		const reason = suppressionReason(e);
		const email = e.email ? normalizeEmail(e.email) : null;
		if (reason && email) await suppress(db, 'email', email, reason, now);
		if (message && (e.event === 'spamreport' || e.event === 'unsubscribe' || e.event === 'group_unsubscribe'))
			await setConsent(db, message.customerId, 'email', false, `sendgrid_${e.event}`, now);
		if (!status) {
			summary.ignored++;
			continue;
		}
		if (!message) {
			summary.unmatched++;
			continue;
		}
		const at = e.timestamp ? new Date(e.timestamp * 1000) : now;
		const providerEventId = e.sg_event_id ?? `sendgrid:${e.sg_message_id ?? message.id}:${e.event}:${e.timestamp ?? ''}`;
		const outcome = await recordMessageEvent(db, { messageId: message.id, status, providerEventId, raw: e, at });
		summary[outcome === 'recorded' ? 'recorded' : 'duplicates']++;
	}
	return summary;
}
