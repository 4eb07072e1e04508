import { asc, eq, inArray, or } from 'drizzle-orm';
import { isSuppressed } from '../channels/consent';
import type { Db } from '../db/client';
import { customers, identities, merges, notes, segmentMembers, segments, type SuppressionChannel } from '../db/schema/customers';
import { pushSubscriptions } from '../db/schema/push';
import { events } from '../db/schema/events';
import { enrollments, journeys, stepLog } from '../db/schema/journeys';
import { messageEvents, messages } from '../db/schema/messages';
import { offers, storeTasks } from '../db/schema/offers';
import { customerFamily, survivorOf } from '../identity/lookup';
import { recordAudit, type AuditActor } from './audit';

/** Bumped when the file's shape changes, so a reader can tell exports apart. */
export const EXPORT_FORMAT = 'omnicanal.customer-export/1';

/**
 * Everything we hold about one person (a data-subject access request, GDPR art. 15 and 20): the profile and
 * every profile merged into it, identifiers, traits, consent, events, messages with their delivery events,
 * journeys with their step log, offers, store tasks, staff notes, segment memberships and whether each address
 * is suppressed. Null for an unknown or erased customer. Records an audit row when given an actor.
 */
export async function exportCustomer(db: Db, customerId: string, opts: { actor?: AuditActor; now?: Date } = {}) {
	const root = await survivorOf(db, customerId);
	if (!root) return null;
	const now = opts.now ?? new Date();
	const family = await customerFamily(db, root);
	const [profiles, ids, mergeRows, eventRows, messageRows, deliveries, journeyRows, steps, offerRows, tasks, noteRows, memberships] = await Promise.all([
		db.select().from(customers).where(inArray(customers.id, family)),
		db.select().from(identities).where(inArray(identities.customerId, family)).orderBy(asc(identities.kind), asc(identities.value)),
		db
			.select()
			.from(merges)
			.where(or(inArray(merges.intoCustomerId, family), inArray(merges.fromCustomerId, family)))
			.orderBy(asc(merges.createdAt)),
		db.select().from(events).where(inArray(events.customerId, family)).orderBy(asc(events.timestamp)),
		db.select().from(messages).where(inArray(messages.customerId, family)).orderBy(asc(messages.createdAt)),
		db
			.select({ messageId: messageEvents.messageId, status: messageEvents.status, at: messageEvents.at })
			.from(messageEvents)
			.innerJoin(messages, eq(messages.id, messageEvents.messageId))
			.where(inArray(messages.customerId, family))
			.orderBy(asc(messageEvents.at)),
		db
			.select({ enrollment: enrollments, journeyName: journeys.name })
			.from(enrollments)
			.leftJoin(journeys, eq(journeys.id, enrollments.journeyId))
			.where(inArray(enrollments.customerId, family))
			.orderBy(asc(enrollments.enteredAt)),
		db.select().from(stepLog).where(inArray(stepLog.customerId, family)).orderBy(asc(stepLog.at), asc(stepLog.id)),
		db.select().from(offers).where(inArray(offers.customerId, family)).orderBy(asc(offers.createdAt)),
		db.select().from(storeTasks).where(inArray(storeTasks.customerId, family)).orderBy(asc(storeTasks.createdAt)),
		db.select().from(notes).where(inArray(notes.customerId, family)).orderBy(asc(notes.createdAt)),
		db
			.select({ segmentId: segments.id, name: segments.name, enteredAt: segmentMembers.enteredAt })
			.from(segmentMembers)
			.innerJoin(segments, eq(segments.id, segmentMembers.segmentId))
			.where(inArray(segmentMembers.customerId, family))
	]);
	const profile = profiles.find((p) => p.id === root)!;
	const addresses = [
		...new Set([
			...ids.filter((i) => i.kind === 'email' || i.kind === 'phone').map((i) => `${i.kind === 'email' ? 'email' : 'sms'}:${i.value}`),
			...messageRows.filter((m) => m.channel === 'email' || m.channel === 'sms').map((m) => `${m.channel}:${m.to}`),
			// WhatsApp is suppressed per number, apart from SMS (a STOP on WhatsApp leaves texts alone).
			...ids.filter((i) => i.kind === 'phone').map((i) => `whatsapp:${i.value}`),
			...messageRows.filter((m) => m.channel === 'whatsapp' && m.to.startsWith('whatsapp:')).map((m) => m.to)
		])
	];
	const suppressions = await Promise.all(
		addresses.map(async (a) => {
			const [channel, ...rest] = a.split(':');
			const address = rest.join(':');
			return { channel: channel as SuppressionChannel, address, suppressed: await isSuppressed(db, channel as SuppressionChannel, address) };
		})
	);
	const eventsOf = new Map<string, Array<{ status: string; at: Date }>>();
	for (const d of deliveries) eventsOf.set(d.messageId, [...(eventsOf.get(d.messageId) ?? []), { status: d.status, at: d.at }]);
	const stepsOf = new Map<string, typeof steps>();
	for (const s of steps) stepsOf.set(s.enrollmentId, [...(stepsOf.get(s.enrollmentId) ?? []), s]);

	const file = {
		format: EXPORT_FORMAT,
		exportedAt: now.toISOString(),
		customerId: root,
		profile: {
			id: profile.id,
			traits: profile.traits,
			traitUpdatedAt: profile.traitTimes,
			timezone: profile.timezone,
			firstSeenAt: profile.firstSeenAt,
			lastSeenAt: profile.lastSeenAt,
			ordersCount: profile.ordersCount,
			lifetimeValue: profile.lifetimeValue
		},
		consent: profile.consent,
		identifiers: ids.map((i) => ({ kind: i.kind, value: i.value, firstSeenAt: i.firstSeenAt, profileId: i.customerId })),
		mergedProfiles: profiles.filter((p) => p.id !== root).map((p) => ({ id: p.id, traits: p.traits, firstSeenAt: p.firstSeenAt, lastSeenAt: p.lastSeenAt })),
		merges: mergeRows.map(({ snapshot: _snapshot, ...m }) => m),
		events: eventRows.map((e) => ({
			id: e.id,
			type: e.type,
			name: e.name,
			timestamp: e.timestamp,
			receivedAt: e.receivedAt,
			userId: e.userId,
			anonymousId: e.anonymousId,
			properties: e.properties,
			traits: e.traits,
			context: e.context
		})),
		messages: messageRows.map((m) => ({
			id: m.id,
			channel: m.channel,
			provider: m.provider,
			journeyId: m.journeyId,
			to: m.to,
			subject: m.subject,
			body: m.body,
			status: m.status,
			error: m.error,
			sentAt: m.sentAt,
			createdAt: m.createdAt,
			deliveryEvents: eventsOf.get(m.id) ?? []
		})),
		journeys: journeyRows.map(({ enrollment: e, journeyName }) => ({
			enrollmentId: e.id,
			journeyId: e.journeyId,
			journeyName,
			version: e.version,
			status: e.status,
			variant: e.variant,
			enteredAt: e.enteredAt,
			endedAt: e.endedAt,
			exitReason: e.exitReason,
			steps: (stepsOf.get(e.id) ?? []).map((s) => ({ nodeId: s.nodeId, kind: s.kind, branch: s.branch, reason: s.reason, detail: s.detail, at: s.at }))
		})),
		offers: offerRows.map((o) => ({
			id: o.id,
			code: o.code,
			title: o.title,
			kind: o.kind,
			value: o.value,
			currency: o.currency,
			status: o.status,
			expiresAt: o.expiresAt,
			createdAt: o.createdAt,
			redeemedAt: o.redeemedAt,
			redeemedChannel: o.redeemedChannel,
			redeemedOrderId: o.redeemedOrderId,
			redeemedStoreId: o.redeemedStoreId
		})),
		storeTasks: tasks.map((t) => ({
			id: t.id,
			title: t.title,
			instructions: t.instructions,
			storeId: t.storeId,
			status: t.status,
			createdAt: t.createdAt,
			doneAt: t.doneAt
		})),
		notes: noteRows.map((n) => ({ id: n.id, author: n.author, body: n.body, createdAt: n.createdAt })),
		segments: memberships,
		suppressions,
		// The endpoint is a capability URL for the browser's push service: the person's own data, given to them.
		pushSubscriptions: (
			await db.select().from(pushSubscriptions).where(inArray(pushSubscriptions.customerId, family)).orderBy(asc(pushSubscriptions.createdAt))
		).map((s) => ({ endpoint: s.endpoint, userAgent: s.userAgent, createdAt: s.createdAt, lastSuccessAt: s.lastSuccessAt }))
	};
	if (opts.actor)
		await recordAudit(
			db,
			opts.actor,
			{ action: 'customer.export', targetType: 'customer', targetId: root, details: { events: eventRows.length, messages: messageRows.length } },
			now
		);
	return file;
}

export type CustomerExport = NonNullable<Awaited<ReturnType<typeof exportCustomer>>>;
