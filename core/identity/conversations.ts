/**
 * Advice that follows the customer: each line of a chat or a call is one `conversation_message` track event, from
 * a chat tool through the ingest API or typed on the customer page. Being an event, it reaches journeys like any
 * other; the timelines fold a conversation's lines into one entry with the advisor's summary on top.
 *
 * Event shape (properties): `conversation_id` (required: lines with the same id are one conversation), `channel`
 * (chat, phone, email, store, social), `author` (customer or advisor), `advisor` (the advisor's name), `text`, and
 * optionally `summary` (the advisor's summary so far: the latest one wins) and `topic`.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { events } from '../db/schema/events';
import { CONVERSATION_EVENT, ConversationInput } from './conversation-shape';
import { survivorOf } from './lookup';

export * from './conversation-shape';

/**
 * Records one line for a known customer (the live profile when given a merged-away id) as a `conversation_message`
 * event; returns the event id for the router, or null when the customer is unknown.
 */
export async function recordConversationMessage(
	db: Db,
	customerId: string,
	advisor: string,
	input: ConversationInput,
	now = new Date()
): Promise<{ eventId: string; conversationId: string; customerId: string } | null> {
	const line = ConversationInput.parse(input);
	const live = await survivorOf(db, customerId);
	if (!live) return null;
	const conversationId = line.conversationId ?? `conv-${randomUUID()}`;
	const eventId = randomUUID();
	await db.insert(events).values({
		id: eventId,
		messageId: `conversation:${eventId}`,
		type: 'track',
		name: CONVERSATION_EVENT,
		customerId: live,
		properties: {
			conversation_id: conversationId,
			channel: line.channel,
			author: line.author,
			advisor,
			text: line.text,
			...(line.summary ? { summary: line.summary } : {}),
			...(line.topic ? { topic: line.topic } : {})
		},
		context: { source: 'customer-page' },
		timestamp: now,
		receivedAt: now
	});
	return { eventId, conversationId, customerId: live };
}
