import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { customers, identities, type Customer } from '../db/schema/customers';
import { chooseMergeGroup } from './group';
import { identifierKey, uniqueIdentifiers, type Identifier } from './identifier';
import { mergeCustomers } from './merge';
import { jsonParam, sized } from '../db/rows';
import type { Tx } from './tx';

export type ResolveOptions = {
	/** When the message happened: a new profile is first seen then. */
	at: Date;
	/** The event that caused any merge, recorded on the `merges` row. */
	eventId?: string;
	/** The caller asserts the identifiers are one person (Segment's `alias`): merge even across userIds. */
	force?: boolean;
};

/** `customer` is locked (`for update`) until the transaction ends, so the caller can update its profile. */
export type Resolution = { customer: Customer; created: boolean; mergeIds: number[] };

/** Where identifiers point now, locked in id order; merged-away rows are followed to their survivor. */
async function lockLive(tx: Tx, ids: readonly string[]): Promise<Customer[]> {
	const live = new Map<string, Customer>();
	let pending = [...new Set(ids)];
	for (let hops = 0; pending.length > 0 && hops < 32; hops++) {
		const rows = await tx.select().from(customers).where(inArray(customers.id, pending)).orderBy(asc(customers.id)).for('update');
		pending = [];
		for (const row of rows) {
			if (row.mergedInto) pending.push(row.mergedInto);
			else if (!row.erasedAt) live.set(row.id, row);
		}
	}
	return [...live.values()];
}

async function userIdsByCustomer(tx: Tx, customerIds: readonly string[]): Promise<Map<string, string[]>> {
	const rows = await tx
		.select({ customerId: identities.customerId, value: identities.value })
		.from(identities)
		.where(and(eq(identities.kind, 'userId'), inArray(identities.customerId, [...customerIds])));
	const map = new Map<string, string[]>();
	for (const r of rows) map.set(r.customerId, [...(map.get(r.customerId) ?? []), r.value]);
	return map;
}

/**
 * The one customer these identifiers belong to: looks every identifier up, creates a profile when none is
 * known, merges when they point at several (see `chooseMergeGroup`), and attaches the identifiers no one owns
 * yet. Callers serialize on the identifiers first (`lockKeys`), so two requests cannot create the same person.
 */
export async function resolveCustomer(tx: Tx, identifiers: readonly Identifier[], opts: ResolveOptions): Promise<Resolution> {
	const wanted = uniqueIdentifiers(identifiers);
	if (wanted.length === 0) throw new Error('resolveCustomer needs at least one identifier');
	const owned = await tx
		.select()
		.from(identities)
		.where(sql`(${identities.kind}, ${identities.value}) in (select f.x->>'kind', f.x->>'value' from ${sized(sql`jsonb_array_elements(${jsonParam(wanted)}) as e(x)`, wanted.length)} as f)`);
	const candidates = owned.length
		? await lockLive(
				tx,
				owned.map((o) => o.customerId)
			)
		: [];
	const userIds = candidates.length
		? await userIdsByCustomer(
				tx,
				candidates.map((c) => c.id)
			)
		: new Map<string, string[]>();
	const group = chooseMergeGroup(
		candidates.map((c) => ({ id: c.id, firstSeenAt: c.firstSeenAt, userIds: userIds.get(c.id) ?? [] })),
		wanted.find((i) => i.kind === 'userId')?.value,
		opts.force
	);

	let customer: Customer;
	const mergeIds: number[] = [];
	if (group.length === 0) {
		[customer] = (await tx.insert(customers).values({ id: randomUUID(), firstSeenAt: opts.at, lastSeenAt: opts.at }).returning()) as [Customer];
	} else {
		const byId = new Map(candidates.map((c) => [c.id, c]));
		customer = byId.get(group[0]!)!;
		for (const loserId of group.slice(1)) {
			const merged = await mergeCustomers(tx, customer, byId.get(loserId)!, { eventId: opts.eventId });
			customer = merged.survivor;
			mergeIds.push(merged.mergeId);
		}
	}
	// Identifiers owned by a profile kept apart (userId conflict) stay where they are.
	const ownedKeys = new Set(owned.map((o) => identifierKey(o)));
	const fresh = wanted.filter((i) => !ownedKeys.has(identifierKey(i)));
	if (fresh.length) {
		await tx
			.insert(identities)
			.values(fresh.map((i) => ({ ...i, customerId: customer.id, firstSeenAt: opts.at })))
			.onConflictDoNothing();
	}
	return { customer, created: group.length === 0, mergeIds };
}
