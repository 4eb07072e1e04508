import type { events } from '../db/schema/events';
import { consentFromEvent, consentFromTraits } from '../identity/consent';
import { eventKey, orderTotal } from '../identity/money';
import type { ProfileInput } from '../identity/profile';
import type { Message } from './schema';

export type EventInsert = typeof events.$inferInsert;

/** The `events` row for a message: `name` is the track event or the page/screen name. */
export function eventRow(m: Message, ids: { eventId: string; messageId: string; customerId: string }, at: Date, receivedAt: Date): EventInsert {
	const base = {
		id: ids.eventId,
		messageId: ids.messageId,
		type: m.type,
		customerId: ids.customerId,
		userId: m.userId ?? null,
		anonymousId: m.anonymousId ?? null,
		context: m.context ?? {},
		timestamp: at,
		receivedAt
	};
	switch (m.type) {
		case 'track':
			return { ...base, name: m.event, properties: m.properties ?? {} };
		case 'page':
		case 'screen':
			return { ...base, name: m.name ?? null, properties: { ...(m.properties ?? {}), ...(m.category ? { category: m.category } : {}) } };
		case 'identify':
			return { ...base, name: null, properties: {}, traits: m.traits ?? {} };
		case 'group':
			return { ...base, name: null, properties: { groupId: m.groupId }, traits: m.traits ?? {} };
		case 'alias':
			return { ...base, name: null, properties: { previousId: m.previousId } };
	}
}

/**
 * What the message says about the person. Consent: identify `traits.consent` (`{ email: true }` or
 * `{ sms: { granted: false, source: 'store' } }`), or track `consent_granted` / `consent_revoked` with
 * `properties.channel` (or `channels`) and `source`. Orders: track `order_completed` ("Order Completed").
 */
export function profileInput(m: Message, at: Date): ProfileInput {
	const deviceTimezone = m.context?.timezone ?? undefined;
	if (m.type === 'identify') return { at, traits: m.traits ?? {}, deviceTimezone, consent: consentFromTraits(m.traits ?? {}, 'identify') };
	if (m.type !== 'track') return { at, deviceTimezone, consent: [] };
	const key = eventKey(m.event);
	const properties = m.properties ?? {};
	return {
		at,
		deviceTimezone,
		consent: consentFromEvent(key, properties, m.event),
		order: key === 'order_completed' ? { total: orderTotal(properties) } : undefined
	};
}
