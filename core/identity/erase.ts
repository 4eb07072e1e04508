import { inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, identities, merges, notes, segmentMembers } from '../db/schema/customers';
import { events } from '../db/schema/events';
import { messageEvents, messages } from '../db/schema/messages';
import { inTransaction } from './tx';
import { customerFamily, survivorOf } from './lookup';

/**
 * GDPR erasure of a person: the live profile and every profile merged into it. Identities, traits, consent,
 * notes, memberships and providers' raw webhook payloads go; events and messages keep only what funnels count (type, name, time, status) with
 * their personal content scrubbed; merge snapshots (which hold copies of profiles) are emptied, so erased
 * merges cannot be undone. Returns the erased customer ids, none for an unknown or already erased customer.
 * Ending the person's enrollments is the journey engine's job.
 */
export async function eraseCustomer(db: Db, customerId: string, opts: { at?: Date } = {}): Promise<string[]> {
	const at = opts.at ?? new Date();
	return inTransaction(db, async (tx) => {
		const root = await survivorOf(tx, customerId);
		if (!root) return [];
		const cluster = await customerFamily(tx, root);
		await tx.delete(identities).where(inArray(identities.customerId, cluster));
		await tx.delete(notes).where(inArray(notes.customerId, cluster));
		await tx.delete(segmentMembers).where(inArray(segmentMembers.customerId, cluster));
		await tx.update(customers).set({ traits: {}, traitTimes: {}, consent: {}, timezone: null, erasedAt: at }).where(inArray(customers.id, cluster));
		await tx.update(events).set({ properties: {}, traits: null, context: {}, userId: null, anonymousId: null }).where(inArray(events.customerId, cluster));
		await tx.update(messages).set({ to: '[erased]', subject: null, body: '' }).where(inArray(messages.customerId, cluster));
		// Providers' webhook payloads carry the address too.
		await tx
			.update(messageEvents)
			.set({ raw: null })
			.where(sql`${messageEvents.messageId} in (select ${messages.id} from ${messages} where ${inArray(messages.customerId, cluster)})`);
		await tx
			.update(merges)
			.set({ snapshot: { erased: true } })
			.where(or(inArray(merges.fromCustomerId, cluster), inArray(merges.intoCustomerId, cluster)));
		return cluster;
	});
}
