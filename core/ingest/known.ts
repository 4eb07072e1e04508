import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { customers, identities, type Customer } from '../db/schema/customers';
import { events } from '../db/schema/events';
import { identifierKey, type Identifier } from '../identity/identifier';
import { applyProfileInput, profileFields, type ProfileInput } from '../identity/profile';
import { insertRows, jsonRecords } from '../db/json-rows';
import { type Tx } from '../identity/tx';
import { jsonParam, sized } from '../db/rows';
import type { EventInsert } from './event';

/*
 * Set-based identity for the common cases of a batch: messages from people we already know, and from people new
 * to us. One query finds the owners of every identifier in the batch (the caller holds the identifiers' advisory
 * locks, so no other writer can change that answer), one locks those profiles (in id order):
 * - a message all of whose identifiers belong to one live profile (with no other userId, so resolveCustomer would
 *   pick it alone) needs no further lookup: its event joins a multi-row INSERT and its profile change is applied in
 *   memory, written with one UPDATE per profile;
 * - a message none of whose identifiers anyone owns is a new person, as resolveCustomer would create: the profile
 *   and its identities join multi-row INSERTs too, and later messages of theirs take the first way.
 * Everything else (merges, alias, identifiers the slow path may have attached) goes through resolveCustomer; before
 * it runs the pending writes are flushed, and afterwards every profile it may have touched leaves the fast path for
 * the rest of the batch, so both paths always see the same rows.
 */
export class KnownPeople {
	private readonly owner = new Map<string, string>();
	private readonly live = new Map<string, Customer>();
	private readonly userIds = new Map<string, string[]>();
	private readonly off = new Set<string>();
	private allOff = false;
	/** Identifiers of messages the slow path took: it may have attached them to someone, so none is "unowned". */
	private readonly touched = new Set<string>();
	private pendingEvents: EventInsert[] = [];
	private readonly pendingProfiles = new Set<string>();
	/** Profiles created in memory, not yet inserted, with their identities. */
	private readonly pendingNew = new Map<string, { kind: Identifier['kind']; value: string; firstSeenAt: Date }[]>();

	private constructor(private readonly tx: Tx) {}

	static async load(tx: Tx, identifiers: readonly Identifier[]): Promise<KnownPeople> {
		const k = new KnownPeople(tx);
		const unique = [...new Map(identifiers.map((i) => [identifierKey(i), i])).values()];
		// Nothing looked up, so nothing is known to be anyone's or no one's: every message takes the slow path.
		if (unique.length === 0) {
			k.allOff = true;
			return k;
		}
		const owned = await tx
			.select({ kind: identities.kind, value: identities.value, customerId: identities.customerId })
			.from(identities)
			.where(sql`(${identities.kind}, ${identities.value}) in (select f.x->>'kind', f.x->>'value' from ${sized(sql`jsonb_array_elements(${jsonParam(unique)}) as e(x)`, unique.length)} as f)`);
		for (const o of owned) k.owner.set(identifierKey(o), o.customerId);
		const ids = [...new Set(owned.map((o) => o.customerId))];
		if (ids.length === 0) return k;
		const rows = await tx.select().from(customers).where(inArray(customers.id, ids)).orderBy(asc(customers.id)).for('update');
		for (const r of rows) if (!r.mergedInto && !r.erasedAt) k.live.set(r.id, r);
		const users = await tx
			.select({ customerId: identities.customerId, value: identities.value })
			.from(identities)
			.where(and(eq(identities.kind, 'userId'), inArray(identities.customerId, [...k.live.keys()])));
		for (const u of users) k.userIds.set(u.customerId, [...(k.userIds.get(u.customerId) ?? []), u.value]);
		return k;
	}

	/** The one live profile every identifier belongs to, when the fast path may take the message; else null. */
	ownerOf(identifiers: readonly Identifier[], userId: string | undefined): Customer | null {
		if (this.allOff || identifiers.length === 0) return null;
		let id: string | undefined;
		for (const i of identifiers) {
			const o = this.owner.get(identifierKey(i));
			if (!o || (id !== undefined && o !== id)) return null;
			id = o;
		}
		const customer = this.live.get(id!);
		if (!customer || this.off.has(customer.id)) return null;
		// resolveCustomer keeps a profile signed in as another userId apart: leave such cases to it.
		if (userId !== undefined && (this.userIds.get(customer.id) ?? []).some((u) => u !== userId)) return null;
		return customer;
	}

	add(customer: Customer, event: EventInsert, input: ProfileInput): void {
		this.pendingEvents.push(event);
		Object.assign(customer, applyProfileInput(profileFields(customer), input));
		this.pendingProfiles.add(customer.id);
	}

	/**
	 * A profile for a person nobody knows (no identifier owned when the batch began, nor taken by the slow path
	 * since), as resolveCustomer would create it; written by the next flush. Null when the message is not that.
	 */
	create(identifiers: readonly Identifier[], at: Date): Customer | null {
		if (this.allOff || identifiers.length === 0) return null;
		const keys = identifiers.map(identifierKey);
		if (keys.some((k) => this.owner.has(k) || this.touched.has(k))) return null;
		const customer: Customer = {
			id: randomUUID(),
			traits: {},
			traitTimes: {},
			consent: {},
			timezone: null,
			firstSeenAt: at,
			lastSeenAt: at,
			ordersCount: 0,
			lifetimeValue: '0.00',
			mergedInto: null,
			erasedAt: null
		};
		const unique = [...new Map(identifiers.map((i) => [identifierKey(i), i])).values()];
		this.pendingNew.set(
			customer.id,
			unique.map((i) => ({ kind: i.kind, value: i.value, firstSeenAt: at }))
		);
		this.adopt(customer, unique);
		return customer;
	}

	/** The slow path is about to take these identifiers. */
	touch(identifiers: readonly Identifier[]): void {
		for (const i of identifiers) this.touched.add(identifierKey(i));
	}

	/** Who owned this identifier when the batch began. */
	ownerId(identifier: Identifier): string | undefined {
		return this.owner.get(identifierKey(identifier));
	}

	/**
	 * A profile the slow path has just created for identifiers nobody owned (no merge): later messages of the batch
	 * from the same person may take the fast path, with `customer` as written. Identifiers another profile owns
	 * keep their owner, so a message naming them still goes the slow way.
	 */
	adopt(customer: Customer, identifiers: readonly Identifier[]): void {
		if (this.allOff) return;
		for (const i of identifiers) if (!this.owner.has(identifierKey(i))) this.owner.set(identifierKey(i), customer.id);
		this.live.set(customer.id, customer);
		this.userIds.set(
			customer.id,
			identifiers.filter((i) => i.kind === 'userId').map((i) => i.value)
		);
	}

	/** Profiles the slow path touched (or may have): they take the slow path from now on. */
	retire(customerIds: Iterable<string>): void {
		for (const id of customerIds) this.off.add(id);
	}

	retireAll(): void {
		this.allOff = true;
	}

	/** Writes what the fast path holds: one INSERT each of new profiles, their identities and events (insertRows), one UPDATE of every known profile. */
	async flush(): Promise<void> {
		if (this.pendingNew.size) {
			const created = [...this.pendingNew.keys()];
			const rows = created.map((id) => ({ id, ...profileFields(this.live.get(id)!) }));
			await insertRows(this.tx, customers, rows);
			await insertRows(
				this.tx,
				identities,
				created.flatMap((id) => this.pendingNew.get(id)!.map((i) => ({ ...i, customerId: id })))
			);
			for (const id of created) this.pendingProfiles.delete(id);
			this.pendingNew.clear();
		}
		if (this.pendingEvents.length) {
			await insertRows(this.tx, events, this.pendingEvents);
			this.pendingEvents = [];
		}
		if (this.pendingProfiles.size) {
			const rows = [...this.pendingProfiles].map((id) => ({ id, ...profileFields(this.live.get(id)!) }));
			// Every profile in one statement; load() locked them all already.
			await this.tx.execute(sql`
				update ${customers} c set traits = x.traits, trait_times = x.trait_times, consent = x.consent, timezone = x.timezone,
					first_seen_at = x.first_seen_at, last_seen_at = x.last_seen_at, orders_count = x.orders_count, lifetime_value = x.lifetime_value
				from ${sized(sql`jsonb_populate_recordset(null::${customers}, ${jsonRecords(customers, rows)}) as x`, rows.length)} as x where c.id = x.id`);
		}
		this.pendingProfiles.clear();
	}

	/** The profiles the fast path wrote to, still live (for the survivor lookup). */
	isLive(customerId: string): boolean {
		return this.live.has(customerId) && !this.off.has(customerId) && !this.allOff;
	}
}
