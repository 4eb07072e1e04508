import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { messageEvents, messages, type MessageStatus } from '../db/schema/messages';

/**
 * Provider events arrive out of order (an open before its delivery report, a retried batch). A message's
 * status only moves forward along this order, so a late `delivered` never hides an `opened`, and the worst
 * news (spam report, unsubscribe) is kept.
 */
export const statusOrder: readonly MessageStatus[] = [
	'pending',
	'held',
	// A provider's later report about a message we could not account for settles it.
	'unknown',
	'queued',
	'sent',
	'delivered',
	'opened',
	'clicked',
	'undelivered',
	'failed',
	'dropped',
	'bounced',
	'skipped',
	'spam',
	'unsubscribed'
];

export type RecordedEvent = 'recorded' | 'duplicate';

/**
 * Records one provider event for a message (deduplicated on `providerEventId`) and advances the message's
 * status when the event is further along. Both in one transaction: a duplicate changes nothing.
 */
export async function recordMessageEvent(
	db: Db,
	event: { messageId: string; status: MessageStatus; providerEventId: string; raw: Record<string, unknown>; at: Date }
): Promise<RecordedEvent> {
	return db.transaction(async (tx) => {
		const [inserted] = await tx
			.insert(messageEvents)
			.values({ messageId: event.messageId, status: event.status, providerEventId: event.providerEventId, raw: event.raw, at: event.at })
			.onConflictDoNothing({ target: messageEvents.providerEventId })
			.returning({ id: messageEvents.id });
		if (!inserted) return 'duplicate';
		const order = sql.raw(`array[${statusOrder.map((s) => `'${s}'`).join(',')}]::text[]`);
		await tx
			.update(messages)
			.set({ status: event.status, updatedAt: event.at })
			.where(and(eq(messages.id, event.messageId), sql`array_position(${order}, ${messages.status}::text) < array_position(${order}, ${event.status}::text)`));
		return 'recorded';
	});
}
