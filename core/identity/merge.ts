import { eq } from 'drizzle-orm';
import { customers, identities, merges, notes, segmentMembers, type Customer } from '../db/schema/customers';
import { events } from '../db/schema/events';
import { messages } from '../db/schema/messages';
import { offers } from '../db/schema/offers';
import { mergeProfiles, profileFields } from './profile';
import { storeProfile, type MergeSnapshot } from './snapshot';
import type { Tx } from './tx';

/** Moves the loser's memberships; where both were members the survivor's (older entry) row stays. */
async function moveMemberships(tx: Tx, survivorId: string, loserId: string): Promise<MergeSnapshot['moved']['segments']> {
	const theirs = await tx.select().from(segmentMembers).where(eq(segmentMembers.customerId, loserId));
	if (theirs.length === 0) return [];
	const ours = await tx.select({ segmentId: segmentMembers.segmentId }).from(segmentMembers).where(eq(segmentMembers.customerId, survivorId));
	const already = new Set(ours.map((r) => r.segmentId));
	await tx.delete(segmentMembers).where(eq(segmentMembers.customerId, loserId));
	const moving = theirs.filter((r) => !already.has(r.segmentId));
	if (moving.length) await tx.insert(segmentMembers).values(moving.map((r) => ({ ...r, customerId: survivorId })));
	return theirs.map((r) => ({ segmentId: r.segmentId, enteredAt: r.enteredAt.toISOString(), moved: !already.has(r.segmentId) }));
}

/**
 * Folds `loser` into `survivor` (both locked by the caller): identities, events, messages, offers, notes and
 * segment memberships move; traits, consent and counters combine; the loser stays as a row pointing at the
 * survivor. Enrollments are left alone: journeys already running keep their customer id.
 */
export async function mergeCustomers(
	tx: Tx,
	survivor: Customer,
	loser: Customer,
	opts: { eventId?: string }
): Promise<{ mergeId: number; survivor: Customer }> {
	const to = { customerId: survivor.id };
	const moved: MergeSnapshot['moved'] = {
		identities: await tx.update(identities).set(to).where(eq(identities.customerId, loser.id)).returning({ kind: identities.kind, value: identities.value }),
		events: (await tx.update(events).set(to).where(eq(events.customerId, loser.id)).returning({ id: events.id })).map((r) => r.id),
		messages: (await tx.update(messages).set(to).where(eq(messages.customerId, loser.id)).returning({ id: messages.id })).map((r) => r.id),
		offers: (await tx.update(offers).set(to).where(eq(offers.customerId, loser.id)).returning({ id: offers.id })).map((r) => r.id),
		notes: (await tx.update(notes).set(to).where(eq(notes.customerId, loser.id)).returning({ id: notes.id })).map((r) => r.id),
		segments: await moveMemberships(tx, survivor.id, loser.id)
	};
	const before = profileFields(survivor);
	const [updated] = await tx
		.update(customers)
		.set(mergeProfiles(before, profileFields(loser)))
		.where(eq(customers.id, survivor.id))
		.returning();
	await tx.update(customers).set({ mergedInto: survivor.id }).where(eq(customers.id, loser.id));
	const snapshot: MergeSnapshot = { version: 1, loser: storeProfile(profileFields(loser)), survivorBefore: storeProfile(before), moved };
	const [row] = await tx
		.insert(merges)
		.values({ fromCustomerId: loser.id, intoCustomerId: survivor.id, eventId: opts.eventId ?? null, snapshot })
		.returning({ id: merges.id });
	return { mergeId: row!.id, survivor: updated! };
}
