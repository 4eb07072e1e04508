import { and, desc, inArray, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { notes } from '../db/schema/customers';
import { events, type EventRow } from '../db/schema/events';
import { messages } from '../db/schema/messages';
import { offers } from '../db/schema/offers';
import { CONVERSATION_EVENT } from './conversation-shape';
import { customerFamily } from './lookup';

export type TimelineItem = {
	kind: 'event' | 'message' | 'offer' | 'note';
	id: string;
	at: Date;
	title: string;
	detail: string | null;
	/** Messages: delivery status; offers: active/redeemed/…; events: the event type. */
	status: string | null;
	channel: string | null;
	/** A line of a chat or call (`conversation_message` events): the timelines fold these by conversation. */
	conversation?: { id: string; channel: string | null; author: string; advisor: string | null; text: string; summary: string | null; topic: string | null };
};

/** A message's channel as people say it, for a message without a subject. */
const CHANNEL_NAMES: Record<string, string> = { email: 'E-mail', sms: 'SMS', whatsapp: 'WhatsApp', push: 'Push' };

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

function conversationLine(e: Pick<EventRow, 'name' | 'properties'>): TimelineItem['conversation'] {
	const p = e.properties;
	const id = str(p.conversation_id);
	if (e.name !== CONVERSATION_EVENT || !id) return undefined;
	return {
		id,
		channel: str(p.channel),
		author: str(p.author) ?? 'advisor',
		advisor: str(p.advisor),
		text: str(p.text) ?? '',
		summary: str(p.summary),
		topic: str(p.topic)
	};
}

function short(value: unknown, max = 160): string | null {
	if (value === null || value === undefined) return null;
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	if (text === '{}' || text === '') return null;
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function eventTitle(e: Pick<EventRow, 'type' | 'name' | 'properties' | 'traits'>): string {
	const p = e.properties;
	switch (e.type) {
		case 'track':
			if (e.name === 'segment_entered' || e.name === 'segment_left')
				return `${e.name === 'segment_entered' ? 'Entered' : 'Left'} segment “${String(p.segmentName ?? p.segmentId)}”`;
			return e.name ?? 'track';
		case 'page':
		case 'screen':
			return `Viewed ${e.type} ${e.name ?? String(p.path ?? p.url ?? '')}`.trim();
		case 'identify':
			return `Identified (${Object.keys(e.traits ?? {}).join(', ') || 'no traits'})`;
		case 'alias':
			return `Alias of ${String(p.previousId)}`;
		case 'group':
			return `Joined group ${String(p.groupId)}`;
	}
}

/**
 * Events, messages (with their status), offers and notes of one person, newest first, for the store associate's
 * view. Each source is read newest-first up to `limit` and the union cut to `limit`, so it stays cheap for
 * customers with long histories; `before` pages back.
 */
export async function customerTimeline(db: Db, customerId: string, opts: { limit?: number; before?: Date } = {}): Promise<TimelineItem[]> {
	const limit = Math.min(Math.max(opts.limit ?? 100, 1), 500);
	const family = await customerFamily(db, customerId);
	const b = opts.before;
	const [evs, msgs, offs, nts] = [
		await db
			.select()
			.from(events)
			.where(and(inArray(events.customerId, family), b ? lt(events.timestamp, b) : undefined))
			.orderBy(desc(events.timestamp))
			.limit(limit),
		await db
			.select()
			.from(messages)
			.where(and(inArray(messages.customerId, family), b ? lt(messages.createdAt, b) : undefined))
			.orderBy(desc(messages.createdAt))
			.limit(limit),
		await db
			.select()
			.from(offers)
			.where(and(inArray(offers.customerId, family), b ? lt(offers.createdAt, b) : undefined))
			.orderBy(desc(offers.createdAt))
			.limit(limit),
		await db
			.select()
			.from(notes)
			.where(and(inArray(notes.customerId, family), b ? lt(notes.createdAt, b) : undefined))
			.orderBy(desc(notes.createdAt))
			.limit(limit)
	];
	const items: TimelineItem[] = [
		...evs.map((e) => ({
			kind: 'event' as const,
			id: e.id,
			at: e.timestamp,
			title: eventTitle(e),
			detail: short(e.type === 'identify' ? e.traits : e.properties),
			status: e.type,
			channel: null,
			conversation: conversationLine(e)
		})),
		...msgs.map((m) => ({
			kind: 'message' as const,
			id: m.id,
			at: m.createdAt,
			title: m.subject ?? `${CHANNEL_NAMES[m.channel] ?? m.channel} message`,
			detail: short(m.body),
			status: m.status,
			channel: m.channel
		})),
		...offs.map((o) => ({
			kind: 'offer' as const,
			id: o.id,
			at: o.createdAt,
			title: `Offer “${o.title}” (${o.code})`,
			// Dates are the page's to format: the offer's expiry and redemption are in the offers table.
			detail: o.kind === 'percent' ? `${Number(o.value)}% off` : `${Number(o.value).toFixed(2)} ${o.currency ?? ''} off`.trim(),
			status: o.status,
			channel: o.redeemedChannel
		})),
		...nts.map((n) => ({ kind: 'note' as const, id: String(n.id), at: n.createdAt, title: `Note by ${n.author}`, detail: n.body, status: null, channel: null }))
	];
	return items.sort((a, b) => b.at.getTime() - a.at.getTime() || a.id.localeCompare(b.id)).slice(0, limit);
}
