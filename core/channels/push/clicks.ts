import { createHmac, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { messages } from '../../db/schema/messages';
import { recordMessageEvent, type RecordedEvent } from '../status';

/**
 * Push has no delivery report, but a click is ours to see: the service worker posts the notification's click URL
 * (`/api/v1/push/clicks?m=<message id>&t=<token>`) when the customer clicks it, and the message moves to
 * `clicked`. The token is an HMAC of the message id under APP_SECRET, with its own label, so no one can click
 * for someone else's message and no other signature of the same secret is one.
 */
const LABEL = 'omnicanal:push-click:v1:';

function mac(secret: string, messageId: string): Buffer {
	return createHmac('sha256', secret)
		.update(LABEL + messageId)
		.digest();
}

export function pushClickUrl(publicUrl: string, secret: string, messageId: string): string {
	return `${publicUrl}/api/v1/push/clicks?m=${encodeURIComponent(messageId)}&t=${mac(secret, messageId).toString('base64url')}`;
}

export function verifyPushClick(secret: string, messageId: string, token: string): boolean {
	const given = Buffer.from(token, 'base64url');
	const expected = mac(secret, messageId);
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Records the click (once per message: later clicks are duplicates). */
export async function recordPushClick(db: Db, messageId: string, now: Date): Promise<RecordedEvent | 'unmatched'> {
	const [row] = await db.select({ id: messages.id, channel: messages.channel }).from(messages).where(eq(messages.id, messageId));
	if (!row || row.channel !== 'push') return 'unmatched';
	return recordMessageEvent(db, { messageId, status: 'clicked', providerEventId: `push-click:${messageId}`, raw: { source: 'service_worker' }, at: now });
}
