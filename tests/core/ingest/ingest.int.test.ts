import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { customers, merges, notes } from '../../../core/db/schema/customers';
import { events } from '../../../core/db/schema/events';
import { customerLookup, eraseCustomer, undoMerge } from '../../../core/identity/index';
import { IngestValidationError, ingestMessages } from '../../../core/ingest/index';
import { dbKinds, freshDb } from '../../helpers/db';
import { at, identitiesOf, liveCustomers, messageIdsOf, received, tableCounts } from './fixtures';

for (const kind of dbKinds()) {
	describe(`ingestMessages (${kind})`, () => {
		let h: DbHandle;
		beforeEach(async () => {
			h = await freshDb(kind);
		});
		afterEach(async () => {
			await h.close();
		});

		it('dedupes by messageId: a retry returns the original event and writes nothing', async () => {
			const msg = { type: 'track', messageId: 'retry-1', anonymousId: 'a', event: 'order_completed', properties: { total: 10 }, timestamp: at(0) };
			const first = await ingestMessages(h.db, [msg], received(0));
			const before = await tableCounts(h.db);
			const again = await ingestMessages(h.db, [msg, { ...msg, properties: { total: 99 } }], received(5));
			expect(again.accepted).toEqual([
				{ ...first.accepted[0], duplicate: true },
				{ ...first.accepted[0], duplicate: true }
			]);
			expect(again.eventIds).toEqual([]);
			expect(await tableCounts(h.db)).toEqual(before);
			const [c] = await liveCustomers(h.db);
			expect(c).toMatchObject({ ordersCount: 1, lifetimeValue: '10.00' });
		});

		it('clamps a timestamp a year ahead to the receive time (more than 5 minutes ahead is a wrong clock)', async () => {
			const year = 365 * 24 * 60;
			const r = await ingestMessages(
				h.db,
				[
					{ type: 'track', messageId: 'future', userId: 'u', event: 'x', timestamp: at(year) },
					{ type: 'track', messageId: 'soon', userId: 'u', event: 'x', timestamp: at(4) }
				],
				received(0)
			);
			const rows = await h.db.select().from(events);
			const byMessage = new Map(rows.map((e) => [e.messageId, e.timestamp.toISOString()]));
			expect(byMessage.get('future')).toBe(at(0));
			expect(byMessage.get('soon')).toBe(at(4)); // within the window: kept as sent
			const [c] = await liveCustomers(h.db);
			expect(c!.lastSeenAt.toISOString()).toBe(at(4));
			expect(r.accepted).toHaveLength(2);
		});

		it('dedupes inside one batch too', async () => {
			const msg = { type: 'page', messageId: 'twice', anonymousId: 'a', timestamp: at(0) };
			const r = await ingestMessages(h.db, [msg, msg], received(0));
			expect(r.accepted.map((a) => a.duplicate)).toEqual([false, true]);
			expect(r.accepted[0]!.eventId).toBe(r.accepted[1]!.eventId);
			expect(await h.db.$count(events)).toBe(1);
		});

		it('a batch is all or nothing: one invalid message and nothing is written', async () => {
			const batch = [
				{ type: 'identify', messageId: 'ok-1', anonymousId: 'a', traits: { email: 'a@b.co' } },
				{ type: 'track', messageId: 'bad', anonymousId: 'a' }
			];
			const err = await ingestMessages(h.db, batch, received(0)).catch((e: unknown) => e);
			expect(err).toBeInstanceOf(IngestValidationError);
			expect((err as IngestValidationError).issues.map((i) => i.path)).toEqual([[1, 'event']]);
			expect(await tableCounts(h.db)).toEqual({ customers: 0, identities: 0, events: 0 });
		});

		it('a batch that fails while writing rolls back every message', async () => {
			// The database refuses the batch's second event (a trigger) after the first message created a customer,
			// an identity and an event: all of it must be rolled back.
			await ingestMessages(h.db, [{ type: 'page', messageId: 'exists', anonymousId: 'z' }], received(0));
			const before = await tableCounts(h.db);
			await h.db.execute(
				"create function oc_fail() returns trigger language plpgsql as $$ begin if new.message_id = 'boom' then raise exception 'boom'; end if; return new; end $$"
			);
			await h.db.execute('create trigger oc_fail before insert on events for each row execute function oc_fail()');
			await expect(
				ingestMessages(h.db, [
					{ type: 'identify', messageId: 'fine', anonymousId: 'new', traits: { email: 'n@e.w' } },
					{ type: 'page', messageId: 'boom', anonymousId: 'new' }
				])
			).rejects.toThrow();
			expect(await tableCounts(h.db)).toEqual(before);
		});

		it('a late event never overwrites a newer trait', async () => {
			await ingestMessages(h.db, [{ type: 'identify', messageId: 'new', userId: 'u', traits: { plan: 'pro', city: 'Lyon' }, timestamp: at(10) }], received(10));
			await ingestMessages(h.db, [{ type: 'identify', messageId: 'old', userId: 'u', traits: { plan: 'free', age: 40 }, timestamp: at(1) }], received(11));
			const [c] = await liveCustomers(h.db);
			expect(c!.traits).toEqual({ plan: 'pro', city: 'Lyon', age: 40 });
			expect(c!.traitTimes.plan).toBe(at(10));
			expect(c!.traitTimes.age).toBe(at(1));
			expect(c!.firstSeenAt.toISOString()).toBe(at(1));
			expect(c!.lastSeenAt.toISOString()).toBe(at(10));
		});

		it('records consent per channel with source and time, newest wins, and the time zone', async () => {
			await ingestMessages(
				h.db,
				[
					{
						type: 'identify',
						messageId: 'c1',
						userId: 'u',
						traits: { consent: { email: true, sms: { granted: true, source: 'checkout' } } },
						timestamp: at(1),
						context: { timezone: 'Europe/Paris' }
					},
					{ type: 'track', messageId: 'c2', userId: 'u', event: 'consent_revoked', properties: { channel: 'sms', source: 'STOP' }, timestamp: at(5) },
					{ type: 'track', messageId: 'c3', userId: 'u', event: 'consent_granted', properties: { channel: 'sms' }, timestamp: at(3) }
				],
				received(6)
			);
			const [c] = await liveCustomers(h.db);
			expect(c!.consent).toEqual({
				email: { granted: true, source: 'identify', at: at(1) },
				sms: { granted: false, source: 'STOP', at: at(5) }
			});
			expect(c!.traits).not.toHaveProperty('consent');
			expect(c!.timezone).toBe('Europe/Paris');
		});

		it('keeps two signed-in people apart on a shared browser', async () => {
			await ingestMessages(h.db, [{ type: 'identify', messageId: 's1', userId: 'anna', anonymousId: 'shared', traits: { email: 'anna@x.io' } }], received(0));
			const r = await ingestMessages(
				h.db,
				[{ type: 'identify', messageId: 's2', userId: 'bob', anonymousId: 'shared', traits: { email: 'bob@x.io' } }],
				received(1)
			);
			expect(r.mergeIds).toEqual([]);
			const live = await liveCustomers(h.db);
			expect(live).toHaveLength(2);
			const bob = await customerLookup(h.db, { userId: 'bob' });
			expect(await identitiesOf(h.db, bob!.id)).toEqual(['email:bob@x.io', 'userId:bob']);
			expect((await customerLookup(h.db, { anonymousId: 'shared' }))?.id).not.toBe(bob!.id);
		});

		it('a person new to us: the rest of their batch lands on the profile their first message created, another user on the browser stays apart', async () => {
			const r = await ingestMessages(
				h.db,
				[
					{ type: 'identify', messageId: 'n1', userId: 'nina', anonymousId: 'dev-1', traits: { email: 'nina@x.io', name: 'Nina' }, timestamp: at(1) },
					{ type: 'track', messageId: 'n2', anonymousId: 'dev-1', event: 'viewed', timestamp: at(2) },
					{ type: 'identify', messageId: 'n3', userId: 'nina', traits: { name: 'Nina R.' }, timestamp: at(3) },
					{ type: 'track', messageId: 'n4', userId: 'omar', anonymousId: 'dev-1', event: 'viewed', timestamp: at(4) }
				],
				received(5)
			);
			expect(r.mergeIds).toEqual([]);
			const nina = r.accepted[0]!.customerId;
			expect(r.accepted.slice(0, 3).map((a) => a.customerId)).toEqual([nina, nina, nina]);
			expect(r.accepted[3]!.customerId).not.toBe(nina);
			expect(await liveCustomers(h.db)).toHaveLength(2);
			const [row] = await h.db.select().from(customers).where(eq(customers.id, nina));
			expect(row!.traits).toEqual({ email: 'nina@x.io', name: 'Nina R.' });
			expect(row!.lastSeenAt.toISOString()).toBe(at(3));
			expect(await messageIdsOf(h.db, nina)).toEqual(['n1', 'n2', 'n3']);
			expect(await identitiesOf(h.db, nina)).toEqual(['anonymousId:dev-1', 'email:nina@x.io', 'userId:nina']);
			expect(await identitiesOf(h.db, r.accepted[3]!.customerId)).toEqual(['userId:omar']);
		});

		it('people new to us in one batch end exactly as the same messages one at a time', async () => {
			const messages = [
				{ type: 'identify', messageId: 'b1', anonymousId: 'a-1', traits: { email: 'Ana@x.io', name: 'Ana' }, timestamp: at(1) },
				{ type: 'track', messageId: 'b2', anonymousId: 'a-1', event: 'Order Completed', properties: { total: 12.5 }, timestamp: at(2) },
				{ type: 'identify', messageId: 'b3', anonymousId: 'a-2', traits: { phone: '+14155550111' }, context: { timezone: 'Europe/Paris' }, timestamp: at(3) },
				// A known-to-the-batch e-mail on a new device: the slow path merges or attaches it, never a second Ana.
				{ type: 'identify', messageId: 'b4', anonymousId: 'a-3', traits: { email: 'ana@x.io' }, timestamp: at(4) },
				{ type: 'track', messageId: 'b5', anonymousId: 'a-3', event: 'viewed', timestamp: at(5) },
				// An identifier the slow path attached earlier in the batch is not "new" for the next person.
				{ type: 'identify', messageId: 'b6', userId: 'ana', anonymousId: 'a-1', traits: { loyaltyId: 'L-9' }, timestamp: at(6) },
				{ type: 'track', messageId: 'b7', anonymousId: 'a-4', context: { traits: { loyaltyId: 'L-9' } }, event: 'visited', timestamp: at(7) },
				{ type: 'identify', messageId: 'b8', userId: 'ben', anonymousId: 'a-5', traits: { consent: { sms: true } }, timestamp: at(8) },
				{ type: 'track', messageId: 'b9', userId: 'ben', event: 'viewed', timestamp: at(9) }
			];
			const batch = await ingestMessages(h.db, messages, received(10));
			const single = await freshDb(kind);
			try {
				const oneByOne = [];
				for (const m of messages) oneByOne.push(...(await ingestMessages(single.db, [m], received(10))).accepted);
				// Who is who: the same people (by the messages they sent), with the same profiles and identities.
				const people = async (db: DbHandle['db'], accepted: { customerId: string; messageId: string }[]) => {
					const byCustomer = new Map<string, string[]>();
					for (const a of accepted) byCustomer.set(a.customerId, [...(byCustomer.get(a.customerId) ?? []), a.messageId]);
					const out = [];
					for (const [id, sent] of byCustomer) {
						const [row] = await db.select().from(customers).where(eq(customers.id, id));
						const { id: _id, ...profile } = row!;
						out.push({ sent, profile, identities: await identitiesOf(db, id), events: await messageIdsOf(db, id) });
					}
					return out.sort((a, b) => (a.sent[0]! < b.sent[0]! ? -1 : 1));
				};
				const want = await people(single.db, oneByOne);
				expect(await people(h.db, batch.accepted)).toEqual(want);
				expect(want.map((p) => p.sent)).toEqual([['b1', 'b2', 'b4', 'b5', 'b6', 'b7'], ['b3'], ['b8', 'b9']]);
				expect((await liveCustomers(h.db)).length).toBe((await liveCustomers(single.db)).length);
			} finally {
				await single.close();
			}
		});

		it('alias joins a previous id to a userId, even across userIds', async () => {
			await ingestMessages(h.db, [
				{ type: 'track', messageId: 'x1', userId: 'old-id', event: 'a' },
				{ type: 'track', messageId: 'x2', userId: 'new-id', event: 'b' },
				{ type: 'alias', messageId: 'x3', userId: 'new-id', previousId: 'old-id' }
			]);
			const live = await liveCustomers(h.db);
			expect(live).toHaveLength(1);
			expect(await identitiesOf(h.db, live[0]!.id)).toEqual(['userId:new-id', 'userId:old-id']);
			expect(await messageIdsOf(h.db, live[0]!.id)).toEqual(['x1', 'x2', 'x3']);
		});

		it('merges three profiles in one batch and reports the final survivor for every message', async () => {
			const r = await ingestMessages(h.db, [
				{ type: 'identify', messageId: 'p1', anonymousId: 'a1', traits: { email: 'e@x.io' }, timestamp: at(1) },
				{ type: 'identify', messageId: 'p2', anonymousId: 'a2', traits: { phone: '+14155550101' }, timestamp: at(2) },
				{ type: 'identify', messageId: 'p3', anonymousId: 'a3', traits: { loyaltyId: 'L1' }, timestamp: at(3) },
				{ type: 'identify', messageId: 'p4', userId: 'u', traits: { email: 'e@x.io', phone: '+14155550101', loyaltyId: 'L1' }, timestamp: at(4) }
			]);
			expect(r.mergeIds).toHaveLength(2);
			const ids = new Set(r.accepted.map((a) => a.customerId));
			expect(ids.size).toBe(1);
			expect(await liveCustomers(h.db)).toHaveLength(1);
		});

		it('erases a person: identities, traits, notes and personal event content go, counts stay', async () => {
			await ingestMessages(h.db, [
				{ type: 'identify', messageId: 'e1', anonymousId: 'a1', traits: { email: 'gone@x.io', name: 'Gone' }, context: { ip: '1.2.3.4' } },
				{ type: 'identify', messageId: 'e2', anonymousId: 'a2', traits: { phone: '+14155550199' } },
				{ type: 'identify', messageId: 'e3', userId: 'u', traits: { email: 'gone@x.io', phone: '+14155550199' } }
			]);
			const person = (await customerLookup(h.db, { email: 'gone@x.io' }))!;
			await h.db.insert(notes).values({ customerId: person.id, author: 'Sam', body: 'Prefers SMS' });
			const [mergeRow] = await h.db.select().from(merges);
			const erased = await eraseCustomer(h.db, person.id);
			expect(erased).toHaveLength(2);
			expect(await customerLookup(h.db, { email: 'gone@x.io' })).toBeNull();
			expect(await customerLookup(h.db, { phone: '+14155550199' })).toBeNull();
			const rows = await h.db.select().from(customers);
			expect(rows.every((c) => c.erasedAt !== null && Object.keys(c.traits).length === 0)).toBe(true);
			expect(await h.db.$count(notes)).toBe(0);
			const evs = await h.db.select().from(events).where(eq(events.customerId, person.id));
			expect(evs).toHaveLength(3);
			expect(evs.every((e) => e.traits === null && e.userId === null && Object.keys(e.context).length === 0)).toBe(true);
			await expect(undoMerge(h.db, mergeRow!.id)).rejects.toMatchObject({ code: 'snapshot_unreadable' });
			expect(await eraseCustomer(h.db, person.id)).toEqual([]);
		});
	});
}
