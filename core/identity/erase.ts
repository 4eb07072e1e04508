import { and, eq, getTableName, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog } from '../db/schema/audit';
import { apiKeys, sessions, users } from '../db/schema/auth';
import { customers, identities, merges, notes, segmentMembers, segments, suppressions } from '../db/schema/customers';
import { events } from '../db/schema/events';
import { enrollments, journeys, journeyVersions, stepLog } from '../db/schema/journeys';
import { messageEvents, messages } from '../db/schema/messages';
import { offers, redemptions, storeTasks } from '../db/schema/offers';
import { analyticsConversions, analyticsEngagementDaily, analyticsMessageReached, analyticsPaths, analyticsStepDaily } from '../db/schema/analytics';
import { products, stock, stores } from '../db/schema/stock';
import { smsKeywords } from '../db/schema/inbound';
import { ingestInbox } from '../db/schema/inbox';
import { carts, orders } from '../db/schema/orders';
import { throttleSlots } from '../db/schema/throttle';
import { pushSubscriptions } from '../db/schema/push';
import { keyedHash, privacyHashKey } from '../privacy/keyed-hash';
import { customerFamily, survivorOf } from './lookup';
import { inTransaction, type Tx } from './tx';
import { normalizeEmail, normalizePhone } from './normalize';

/**
 * GDPR erasure of a person in the database: the live profile and every profile merged into it. This file is the
 * list of every table and what erasure does to it, and why; tests/core/identity/erase-coverage.test.ts fails when
 * a table of core/db/schema has no entry here, so a new table is a decision, not an oversight.
 *
 * What stays is what funnels and counts need (event names and times, message channels and statuses, steps,
 * offers' status): anonymous once no identifier points at it. Temporal and ad audiences are
 * core/privacy/erasure.ts's job, done before this (it needs the identifiers this deletes).
 */
export type ErasureAction = 'deleted' | 'scrubbed' | 'hashed' | 'identifier-free';

export const erasureCoverage: Record<string, { action: ErasureAction; why: string }> = {
	[getTableName(customers)]: {
		action: 'scrubbed',
		why: 'traits (name, e-mail, phone, address, push tokens…), trait times, consent and time zone emptied; the row stays, marked erased, because ids elsewhere point at it and merges must not revive it'
	},
	[getTableName(identities)]: { action: 'deleted', why: 'every identifier (e-mail, phone, user, anonymous, loyalty, click ids) of every merged profile' },
	[getTableName(merges)]: {
		action: 'scrubbed',
		why: 'the snapshot holds copies of profiles and identities; emptied, so an erased merge can no longer be undone'
	},
	[getTableName(notes)]: { action: 'deleted', why: 'free text by staff about the person' },
	[getTableName(pushSubscriptions)]: { action: 'deleted', why: "the person's browsers' push endpoints and keys: no notification can reach them after erasure" },
	[getTableName(suppressions)]: {
		action: 'hashed',
		why: 'a bounce, spam report or STOP must outlive the erasure: the address is replaced by its keyed hash, which isSuppressed still matches'
	},
	[getTableName(segmentMembers)]: { action: 'deleted', why: 'derived memberships of the person' },
	[getTableName(segments)]: { action: 'identifier-free', why: 'segment definitions written by marketers (rules, not people)' },
	[getTableName(events)]: {
		action: 'scrubbed',
		why: 'properties, traits, context (device ids, push tokens, IP), user and anonymous ids and routing errors emptied; type, name and time stay for counts'
	},
	[getTableName(journeys)]: { action: 'identifier-free', why: 'journey drafts drawn by marketers' },
	[getTableName(journeyVersions)]: { action: 'identifier-free', why: 'published journey graphs' },
	[getTableName(enrollments)]: { action: 'scrubbed', why: 'ids, statuses and steps stay for funnels; a free-text exit reason is redacted' },
	[getTableName(stepLog)]: { action: 'scrubbed', why: 'reasons and details may quote an address or a provider error about it: redacted' },
	[getTableName(messages)]: {
		action: 'scrubbed',
		why: 'address, subject, body (personal links, codes) emptied; errors and provider facts redacted; channel, status and times stay for engagement figures'
	},
	[getTableName(messageEvents)]: { action: 'scrubbed', why: "providers' raw webhook payloads carry the address: dropped, statuses stay" },
	[getTableName(offers)]: {
		action: 'scrubbed',
		why: 'active offers revoked (their code is the personal link in e-mails, SMS and the ad landing page); cart holds and order ids cleared; status and value stay'
	},
	[getTableName(redemptions)]: { action: 'deleted', why: "remembered answers to redemption requests quote the person's offer, cart and order" },
	[getTableName(storeTasks)]: { action: 'scrubbed', why: 'titles and instructions may name the person: redacted' },
	[getTableName(users)]: { action: 'identifier-free', why: 'staff accounts, not customers' },
	[getTableName(sessions)]: { action: 'identifier-free', why: "hashes of staff sessions' tokens" },
	[getTableName(apiKeys)]: { action: 'identifier-free', why: 'hashes of machine credentials' },
	[getTableName(auditLog)]: { action: 'identifier-free', why: "staff actions with internal ids; core/privacy/audit.ts never records a customer's identifiers" },
	[getTableName(analyticsStepDaily)]: { action: 'identifier-free', why: 'daily counts per step' },
	[getTableName(analyticsConversions)]: { action: 'identifier-free', why: 'internal customer, enrollment and event ids with an event name' },
	[getTableName(analyticsPaths)]: { action: 'identifier-free', why: 'counts per path of step ids' },
	[getTableName(analyticsEngagementDaily)]: { action: 'identifier-free', why: 'daily counts per channel' },
	[getTableName(analyticsMessageReached)]: { action: 'identifier-free', why: 'internal message and enrollment ids with the stage reached' },
	[getTableName(stores)]: { action: 'identifier-free', why: 'the shops and their opening hours' },
	[getTableName(products)]: { action: 'identifier-free', why: 'the catalogue' },
	[getTableName(stock)]: { action: 'identifier-free', why: 'stock per store and SKU' },
	[getTableName(carts)]: {
		action: 'scrubbed',
		why: 'carts of the person or of their anonymous ids: the visitor id, the till handoff code and the offer code cleared; lines stay'
	},
	[getTableName(orders)]: {
		action: 'scrubbed',
		why: 'buyer name and e-mail typed at checkout, visitor id and offer code cleared; lines and totals stay for the books'
	},
	[getTableName(ingestInbox)]: {
		action: 'deleted',
		why: 'messages from the person (by user or anonymous id) accepted but not processed yet: processed later, they would bring the person back'
	},
	[getTableName(throttleSlots)]: { action: 'identifier-free', why: 'turns taken per throttling bucket, keyed by internal enrollment and step ids' },
	[getTableName(smsKeywords)]: { action: 'identifier-free', why: 'STOP/START texts by Twilio message id, the number kept only as its keyed hash' }
};

/** Replaces every free-text mention of the person. Short values (under 3 characters) would hit everything. */
export const REDACTED = '[erased]';

/** Trait, context and property keys whose values identify a person (events' properties are otherwise kept as facts). */
const IDENTIFYING_KEY = /(e-?mail|phone|mobile|name|address|street|city|zip|postal|token|device|user_?id|anonymous_?id|loyalty|ip$|birth|clid)/i;

function stringLeaves(value: unknown, out: Set<string>, onlyKeys: RegExp | null, key = ''): void {
	if (typeof value === 'string') {
		if (!onlyKeys || onlyKeys.test(key)) out.add(value.trim());
	} else if (Array.isArray(value)) {
		for (const v of value) stringLeaves(v, out, onlyKeys, key);
	} else if (value && typeof value === 'object') {
		// Under an identifying key (traits.address.city), everything below identifies too.
		for (const [k, v] of Object.entries(value)) stringLeaves(v, out, onlyKeys && onlyKeys.test(key) ? null : onlyKeys, k);
	}
}

/**
 * Everything that identifies the person, as it may appear in text we hold: identities, every trait, events'
 * user and anonymous ids, identifying properties and context (device ids, push tokens, IP), the addresses
 * messages went to, and a phone's other spellings. Longest first, so a longer value is redacted before a part.
 */
export async function personalValues(db: Db | Tx, cluster: string[]): Promise<string[]> {
	const found = new Set<string>();
	const [ids, profiles, evs, sent] = await Promise.all([
		db.select({ value: identities.value }).from(identities).where(inArray(identities.customerId, cluster)),
		db.select({ traits: customers.traits }).from(customers).where(inArray(customers.id, cluster)),
		db
			.select({ userId: events.userId, anonymousId: events.anonymousId, traits: events.traits, context: events.context, properties: events.properties })
			.from(events)
			.where(inArray(events.customerId, cluster)),
		db
			.select({ to: messages.to })
			.from(messages)
			.where(and(inArray(messages.customerId, cluster), inArray(messages.channel, ['email', 'sms', 'whatsapp'])))
	]);
	for (const i of ids) found.add(i.value);
	for (const p of profiles) stringLeaves(p.traits, found, null);
	for (const e of evs) {
		if (e.userId) found.add(e.userId);
		if (e.anonymousId) found.add(e.anonymousId);
		stringLeaves(e.traits, found, null);
		stringLeaves(e.context, found, IDENTIFYING_KEY);
		stringLeaves(e.properties, found, IDENTIFYING_KEY);
	}
	for (const m of sent) if (m.to !== REDACTED) found.add(m.to);
	for (const value of [...found]) {
		const phone = /^\+?[\d\s().-]{6,}$/.test(value) ? normalizePhone(value) : null;
		if (phone) {
			found.add(phone);
			found.add(phone.slice(1)); // without the +
		}
		const email = value.includes('@') ? normalizeEmail(value) : null;
		if (email) found.add(email);
	}
	return [...found].filter((v) => v.length >= 3).sort((a, b) => b.length - a.length);
}

function escapeRegExp(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A redactor for text and JSON: each personal value, in any case, becomes [erased]. */
export function redactor(values: string[]): { text: (s: string | null) => string | null; json: <T>(v: T) => T } {
	const pattern = values.length ? new RegExp(values.map(escapeRegExp).join('|'), 'gi') : null;
	const text = (s: string | null) => (s && pattern ? s.replace(pattern, REDACTED) : s);
	const json = <T>(v: T): T => {
		if (typeof v === 'string') return text(v) as T;
		if (Array.isArray(v)) return v.map(json) as T;
		if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), json(x)])) as T;
		return v;
	};
	return { text, json };
}

/**
 * Scrubs the person (see `erasureCoverage`) in one transaction. `hashKey` keys the suppressions' hashes
 * (core/privacy/keyed-hash.ts). Returns the erased customer ids, none for an unknown or already erased customer.
 */
export async function eraseCustomer(db: Db, customerId: string, opts: { hashKey?: string; at?: Date } = {}): Promise<string[]> {
	const at = opts.at ?? new Date();
	return inTransaction(db, async (tx) => {
		const root = await survivorOf(tx, customerId);
		if (!root) return [];
		const cluster = await customerFamily(tx, root);
		const values = await personalValues(tx, cluster);
		const redact = redactor(values);
		// Read before the identities go: unprocessed messages, carts and orders are found by these.
		const senderIds = await tx
			.select({ kind: identities.kind, value: identities.value })
			.from(identities)
			.where(and(inArray(identities.customerId, cluster), inArray(identities.kind, ['userId', 'anonymousId'])));
		const eventSenders = await senderIdsOfEvents(tx, cluster);

		await hashSuppressions(tx, values, opts.hashKey ?? privacyHashKey());
		await tx.delete(identities).where(inArray(identities.customerId, cluster));
		await tx.delete(notes).where(inArray(notes.customerId, cluster));
		await tx.delete(pushSubscriptions).where(inArray(pushSubscriptions.customerId, cluster));
		await tx.delete(segmentMembers).where(inArray(segmentMembers.customerId, cluster));
		await tx.update(customers).set({ traits: {}, traitTimes: {}, consent: {}, timezone: null, erasedAt: at }).where(inArray(customers.id, cluster));
		await tx
			.update(events)
			.set({ properties: {}, traits: null, context: {}, userId: null, anonymousId: null, routingError: null })
			.where(inArray(events.customerId, cluster));
		await tx
			.update(merges)
			.set({ snapshot: { erased: true } })
			.where(or(inArray(merges.fromCustomerId, cluster), inArray(merges.intoCustomerId, cluster)));

		// Messages: the address and words go; an error or provider fact keeps its meaning without the person.
		const sent = await tx
			.select({ id: messages.id, channel: messages.channel, to: messages.to, error: messages.error, meta: messages.meta })
			.from(messages)
			.where(inArray(messages.customerId, cluster));
		for (const m of sent) {
			// An audience's `network:id` or a store task's target names no one; an e-mail, phone or URL may.
			const to = m.channel === 'ads' || m.channel === 'store' ? redact.text(m.to)! : REDACTED;
			await tx
				.update(messages)
				.set({ to, subject: null, body: '', error: redact.text(m.error), meta: redact.json(m.meta) })
				.where(eq(messages.id, m.id));
		}
		// Providers' webhook payloads carry the address too.
		await tx
			.update(messageEvents)
			.set({ raw: null })
			.where(sql`${messageEvents.messageId} in (select ${messages.id} from ${messages} where ${inArray(messages.customerId, cluster)})`);

		const steps = await tx
			.select({ id: stepLog.id, reason: stepLog.reason, detail: stepLog.detail })
			.from(stepLog)
			.where(and(inArray(stepLog.customerId, cluster), or(sql`${stepLog.reason} is not null`, sql`${stepLog.detail} is not null`)));
		for (const s of steps)
			await tx
				.update(stepLog)
				.set({ reason: redact.text(s.reason), detail: redact.json(s.detail) })
				.where(eq(stepLog.id, s.id));
		const ended = await tx
			.select({ id: enrollments.id, exitReason: enrollments.exitReason })
			.from(enrollments)
			.where(and(inArray(enrollments.customerId, cluster), sql`${enrollments.exitReason} is not null`));
		for (const e of ended)
			await tx
				.update(enrollments)
				.set({ exitReason: redact.text(e.exitReason) })
				.where(eq(enrollments.id, e.id));

		const codes = await tx.select({ code: offers.code }).from(offers).where(inArray(offers.customerId, cluster));
		if (codes.length)
			await tx.delete(redemptions).where(
				inArray(
					redemptions.offerCode,
					codes.map((c) => c.code)
				)
			);
		await tx
			.update(offers)
			.set({
				status: sql`case when ${offers.status} = 'active' then 'revoked' else ${offers.status} end`,
				reservedBy: null,
				reservedUntil: null,
				redeemedOrderId: null
			})
			.where(inArray(offers.customerId, cluster));
		const ids = senderIds;
		const senders = [...new Set([...ids.map((i) => i.value), ...eventSenders])];
		if (senders.length) await tx.delete(ingestInbox).where(inArray(ingestInbox.senderKey, senders));
		const anonymous = ids.filter((i) => i.kind === 'anonymousId').map((i) => i.value);
		await tx
			.update(carts)
			.set({ anonymousId: null, handoffCode: null, handoffExpiresAt: null, offerCode: null })
			.where(or(inArray(carts.customerId, cluster), anonymous.length ? inArray(carts.anonymousId, anonymous) : undefined));
		await tx
			.update(orders)
			.set({ buyerName: null, buyerEmail: null, anonymousId: null, offerCode: null })
			.where(or(inArray(orders.customerId, cluster), anonymous.length ? inArray(orders.anonymousId, anonymous) : undefined));

		const tasks = await tx
			.select({ id: storeTasks.id, title: storeTasks.title, instructions: storeTasks.instructions })
			.from(storeTasks)
			.where(inArray(storeTasks.customerId, cluster));
		for (const t of tasks)
			await tx
				.update(storeTasks)
				.set({ title: redact.text(t.title)!, instructions: redact.text(t.instructions)! })
				.where(eq(storeTasks.id, t.id));
		return cluster;
	});
}

/** The user and anonymous ids the person's events came with (ingest's sender keys). */
async function senderIdsOfEvents(tx: Tx, cluster: string[]): Promise<string[]> {
	const rows = await tx.selectDistinct({ userId: events.userId, anonymousId: events.anonymousId }).from(events).where(inArray(events.customerId, cluster));
	return rows.flatMap((r) => [r.userId, r.anonymousId]).filter((v): v is string => v !== null);
}

/** Each suppressed address of the person becomes its keyed hash (kept: a STOP outlives the erasure). */
async function hashSuppressions(tx: Tx, values: string[], key: string | null): Promise<void> {
	const addresses = values.filter((v) => !v.startsWith('hmac:'));
	if (addresses.length === 0) return;
	const rows = await tx.select().from(suppressions).where(inArray(suppressions.value, addresses));
	if (rows.length && !key) throw new Error('Set PRIVACY_HASH_KEY (or APP_SECRET): erasure keeps suppressed addresses as keyed hashes.');
	for (const row of rows) {
		await tx.delete(suppressions).where(and(eq(suppressions.channel, row.channel), eq(suppressions.value, row.value)));
		await tx
			.insert(suppressions)
			.values({ channel: row.channel, value: keyedHash(key!, row.channel, row.value), reason: row.reason, createdAt: row.createdAt })
			.onConflictDoNothing();
	}
}
