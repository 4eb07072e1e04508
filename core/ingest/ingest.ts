import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, identities } from '../db/schema/customers';
import { events } from '../db/schema/events';
import { identifierKey, type Identifier } from '../identity/identifier';
import { survivorOf } from '../identity/lookup';
import { applyProfileInput, profileFields } from '../identity/profile';
import { resolveCustomer } from '../identity/resolve';
import { inTransaction, lockKeys, type Tx } from '../identity/tx';
import { refreshSegmentsForCustomer } from '../segments/refresh';
import { loadSegments } from '../segments/store';
import { eventRow, profileInput } from './event';
import { identifiersOf } from './identifiers';
import type { Message } from './schema';
import { eventTime } from './timestamp';
import { KnownPeople } from './known';
import { validateMessages } from './validate';

export type IngestOptions = { receivedAt?: Date };

export type Accepted = {
	eventId: string;
	messageId: string;
	/** The live profile the event belongs to once the whole batch is in (after any merge it caused). */
	customerId: string;
	/** The messageId was seen before: nothing was written and `eventId` is the original event. */
	duplicate: boolean;
};

export type IngestResult = {
	accepted: Accepted[];
	/**
	 * Events committed by this call, for `notifyRouter`: the new (non-duplicate) messages, then the
	 * `segment_entered` / `segment_left` events for membership changes they caused.
	 */
	eventIds: string[];
	/** Segments each customer entered or left (journeys with a segment trigger enrol on `entered`). */
	segments: { customerId: string; entered: string[]; left: string[] }[];
	/** `merges` rows written; each can be undone with `undoMerge`. */
	mergeIds: number[];
};

/** A validated message ready to write: its event id (answered to the client already, for inbox messages) and time. */
export type Prepared = { message: Message; eventId: string; messageId: string; at: Date; receivedAt: Date; identifiers: Identifier[] };

/** Segment's libraries always send a messageId; a hand-written call without one simply cannot be deduped. */
export function messageIdOf(message: Message, eventId: string): string {
	return message.messageId ?? `oc-${eventId}`;
}

export function prepare(message: Message, receivedAt: Date, eventId: string = randomUUID()): Prepared {
	return { message, eventId, messageId: messageIdOf(message, eventId), at: eventTime(message, receivedAt), receivedAt, identifiers: identifiersOf(message) };
}

/** alias: `previousId` is whatever id the person had (usually an anonymousId, sometimes an old userId). */
async function aliasIdentifiers(tx: Tx, p: Prepared): Promise<Identifier[]> {
	const previousId = p.message.type === 'alias' ? p.message.previousId! : '';
	const known = await tx
		.select({ kind: identities.kind, value: identities.value })
		.from(identities)
		.where(and(inArray(identities.kind, ['userId', 'anonymousId']), eq(identities.value, previousId)));
	return [...p.identifiers, ...(known.length ? known : [{ kind: 'anonymousId' as const, value: previousId }])];
}

function lockKeysOf(p: Prepared): string[] {
	const keys = [`messageId:${p.messageId}`, ...p.identifiers.map(identifierKey)];
	if (p.message.type === 'alias') keys.push(`userId:${p.message.previousId}`, `anonymousId:${p.message.previousId}`);
	return keys;
}

/**
 * Stores a batch of Segment messages in ONE transaction — all or nothing: validates them (throws
 * `IngestValidationError`, having written nothing), resolves each sender to one profile (creating or merging),
 * inserts the event, updates the profile, then re-evaluates segments for the profiles touched. A messageId
 * already stored is a retry: it is answered with the original event and writes nothing. Everything returned
 * is committed.
 */
export async function ingestMessages(db: Db, messages: readonly unknown[], opts: IngestOptions = {}): Promise<IngestResult> {
	const receivedAt = opts.receivedAt ?? new Date();
	const prepared = validateMessages(messages).map((m) => prepare(m, receivedAt));
	return inTransaction(db, (tx) => writeMessages(tx, prepared));
}

/**
 * The body of ingest inside the caller's transaction (ingestMessages', or the inbox processor's for a batch of
 * accepted messages): everything above but validation. Messages are written in the order given.
 */
export async function writeMessages(tx: Tx, prepared: readonly Prepared[]): Promise<IngestResult> {
	// Same identifiers or messageIds in concurrent batches: one waits for the other instead of duplicating a person.
	await lockKeys(tx, prepared.flatMap(lockKeysOf));
	const seen = new Map<string, { id: string; customerId: string }>();
	if (prepared.length) {
		const existing = await tx
			.select({ id: events.id, customerId: events.customerId, messageId: events.messageId })
			.from(events)
			.where(inArray(events.messageId, [...new Set(prepared.map((p) => p.messageId))]));
		for (const e of existing) seen.set(e.messageId, e);
	}
	const results: Array<Omit<Accepted, 'customerId'> & { customerAtIngest: string }> = [];
	const mergeIds: number[] = [];
	const known = await KnownPeople.load(tx, prepared.length > 1 ? prepared.flatMap((p) => p.identifiers) : []);
	for (const p of prepared) {
		const dup = seen.get(p.messageId);
		if (dup) {
			results.push({ eventId: dup.id, messageId: p.messageId, customerAtIngest: dup.customerId, duplicate: true });
			continue;
		}
		const owner = p.message.type === 'alias' ? null : (known.ownerOf(p.identifiers, p.message.userId) ?? known.create(p.identifiers, p.at));
		if (owner) {
			known.add(
				owner,
				eventRow(p.message, { eventId: p.eventId, messageId: p.messageId, customerId: owner.id }, p.at, p.receivedAt),
				profileInput(p.message, p.at)
			);
			seen.set(p.messageId, { id: p.eventId, customerId: owner.id });
			results.push({ eventId: p.eventId, messageId: p.messageId, customerAtIngest: owner.id, duplicate: false });
			continue;
		}
		await known.flush();
		const identifiers = p.message.type === 'alias' ? await aliasIdentifiers(tx, p) : p.identifiers;
		known.touch(identifiers);
		const resolved = await resolveCustomer(tx, identifiers, { at: p.at, eventId: p.eventId, force: p.message.type === 'alias' });
		const { customer, mergeIds: merged } = resolved;
		await tx.insert(events).values(eventRow(p.message, { eventId: p.eventId, messageId: p.messageId, customerId: customer.id }, p.at, p.receivedAt));
		const fields = applyProfileInput(profileFields(customer), profileInput(p.message, p.at));
		await tx.update(customers).set(fields).where(eq(customers.id, customer.id));
		// A person new to us may send the rest of the batch the fast way (their identify, then their track…);
		// whatever else this message merged or changed leaves the fast path for the rest of the batch.
		if (p.message.type === 'alias') known.retireAll();
		else if (resolved.created && merged.length === 0) known.adopt({ ...customer, ...fields }, p.identifiers);
		else known.retire([customer.id, ...p.identifiers.map((i) => known.ownerId(i)).filter((id): id is string => id !== undefined)]);
		seen.set(p.messageId, { id: p.eventId, customerId: customer.id });
		mergeIds.push(...merged);
		results.push({ eventId: p.eventId, messageId: p.messageId, customerAtIngest: customer.id, duplicate: false });
	}
	await known.flush();
	// A later message of the batch may have merged an earlier one's profile away: report where each ended up.
	const live = new Map<string, string>();
	for (const r of results) {
		if (live.has(r.customerAtIngest)) continue;
		live.set(r.customerAtIngest, known.isLive(r.customerAtIngest) ? r.customerAtIngest : ((await survivorOf(tx, r.customerAtIngest)) ?? r.customerAtIngest));
	}
	const accepted = results.map(({ customerAtIngest, ...r }) => ({ ...r, customerId: live.get(customerAtIngest)! }));
	const touched = [...new Set(accepted.filter((a) => !a.duplicate).map((a) => a.customerId))];
	const segments: IngestResult['segments'] = [];
	const eventIds = accepted.filter((a) => !a.duplicate).map((a) => a.eventId);
	const asOf = prepared.reduce((latest, p) => (p.receivedAt > latest ? p.receivedAt : latest), prepared[0]?.receivedAt ?? new Date());
	// One look at the segments for the batch: with none defined, no per-profile evaluation at all.
	const anySegments = touched.length > 0 && (await loadSegments(tx)).length > 0;
	for (const customerId of anySegments ? touched : []) {
		const changes = await refreshSegmentsForCustomer(tx, customerId, { asOf });
		if (changes.entered.length || changes.left.length) segments.push({ customerId, entered: changes.entered, left: changes.left });
		eventIds.push(...changes.eventIds);
	}
	return { accepted, eventIds, segments, mergeIds };
}
