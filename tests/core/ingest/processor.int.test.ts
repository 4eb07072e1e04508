import { asc, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { events } from '../../../core/db/schema/events';
import { ingestInbox } from '../../../core/db/schema/inbox';
import { customerLookup } from '../../../core/identity/index';
import { inboxBacklog, inboxEntries, InboxWriter, ingestMessages, processInbox } from '../../../core/ingest/index';
import { dbKinds, freshDb } from '../../helpers/db';
import { at, liveCustomers, T0 } from './fixtures';

/** Accept (the HTTP path's append), as the API does for one request received at `minutes`. */
async function accept(writer: InboxWriter, messages: unknown[], minutes = 0) {
	return writer.append(inboxEntries(messages, new Date(T0 + minutes * 60_000)));
}

for (const kind of dbKinds()) {
	describe(`the ingest inbox and its processor (${kind})`, () => {
		let h: DbHandle;
		let writer: InboxWriter;
		beforeEach(async () => {
			h = await freshDb(kind);
			writer = new InboxWriter(h.db);
		});
		afterEach(async () => {
			await h.close();
		});

		it('processes accepted messages into the same profiles, merges and events as direct ingest, with the answered ids', async () => {
			const accepted = await accept(writer, [
				{ type: 'identify', messageId: 'p1', anonymousId: 'web', traits: { email: 'ada@example.com', plan: 'pro' }, timestamp: at(0) },
				{ type: 'identify', messageId: 'p2', anonymousId: 'store', traits: { phone: '+14155550100' }, timestamp: at(1) },
				{
					type: 'track',
					messageId: 'p3',
					userId: 'ada',
					event: 'order_completed',
					properties: { total: 20 },
					context: { traits: { email: 'ada@example.com', phone: '+14155550100' } },
					timestamp: at(2)
				}
			]);
			expect(accepted.map((a) => a.duplicate)).toEqual([false, false, false]);
			expect(await h.db.$count(events)).toBe(0);
			expect(await inboxBacklog(h.db, new Date(T0 + 60_000))).toMatchObject({ waiting: 3, failed: 0, lagMs: 60_000 });

			const r = await processInbox(h.db);
			expect(r).toMatchObject({ processed: 3, failed: 0 });
			expect(r.eventIds.slice(0, 3)).toEqual(accepted.map((a) => a.eventId));
			const [person, ...others] = await liveCustomers(h.db);
			expect(others).toEqual([]); // the order merged the web and store profiles
			expect(person).toMatchObject({ ordersCount: 1, lifetimeValue: '20.00', traits: { plan: 'pro' } });
			expect((await customerLookup(h.db, { userId: 'ada' }))?.id).toBe(person!.id);
			const rows = await h.db.select().from(events).orderBy(asc(events.timestamp));
			expect(rows.map((e) => [e.id, e.messageId])).toEqual(accepted.map((a) => [a.eventId, a.messageId]));
			expect(await inboxBacklog(h.db)).toMatchObject({ waiting: 0, unrouted: 3 });
		});

		it('dedupes across the inbox and events: in one group, while waiting, and after processing', async () => {
			// Concurrent requests share one write; the second sender of a messageId gets the first's event.
			const [a, b] = await Promise.all([
				accept(writer, [{ type: 'page', messageId: 'same', anonymousId: 'x' }]),
				accept(writer, [{ type: 'page', messageId: 'same', anonymousId: 'x' }])
			]);
			expect([a[0]!.duplicate, b[0]!.duplicate].sort()).toEqual([false, true]);
			expect(a[0]!.eventId).toBe(b[0]!.eventId);
			await processInbox(h.db);
			const [again] = await accept(writer, [{ type: 'page', messageId: 'same', anonymousId: 'x' }]);
			expect(again).toEqual({ messageId: 'same', eventId: a[0]!.eventId, duplicate: true });
			// A message first stored by direct ingest (the store desk, the shop) is a duplicate too.
			const direct = await ingestMessages(h.db, [{ type: 'page', messageId: 'direct', anonymousId: 'y' }]);
			const [late] = await accept(writer, [{ type: 'page', messageId: 'direct', anonymousId: 'y' }]);
			expect(late).toEqual({ messageId: 'direct', eventId: direct.accepted[0]!.eventId, duplicate: true });
			expect(await h.db.$count(events)).toBe(2);
			expect(await h.db.$count(ingestInbox)).toBe(0);
		});

		it('isolates a poison message: the rest of the batch goes on, its sender waits in order, and after its last attempt it is a dead letter', async () => {
			await h.db.execute(
				"create function oc_fail() returns trigger language plpgsql as $$ begin if new.message_id = 'boom' then raise exception 'boom'; end if; return new; end $$"
			);
			await h.db.execute('create trigger oc_fail before insert on events for each row execute function oc_fail()');
			await accept(writer, [
				{ type: 'page', messageId: 'ok-1', anonymousId: 'other' },
				{ type: 'page', messageId: 'boom', anonymousId: 'victim' },
				{ type: 'page', messageId: 'after', anonymousId: 'victim' },
				{ type: 'page', messageId: 'ok-2', anonymousId: 'other' }
			]);
			const now = new Date();
			const first = await processInbox(h.db, { now, maxAttempts: 2 });
			expect(first).toMatchObject({ processed: 2, failed: 1 });
			const stored = async () => (await h.db.select({ m: events.messageId }).from(events)).map((e) => e.m).sort();
			expect(await stored()).toEqual(['ok-1', 'ok-2']);
			const [poison] = await h.db.select().from(ingestInbox).where(eq(ingestInbox.messageId, 'boom'));
			expect(poison).toMatchObject({ attempts: 1, failedAt: null, error: expect.stringContaining('boom') });
			// Backing off (2 s): nothing to do now; `after` waits behind it (receive order per sender).
			expect(await processInbox(h.db, { now })).toMatchObject({ processed: 0, failed: 0 });
			// Its last attempt fails: it becomes a dead letter, which no longer holds its sender up (same pass).
			const later = new Date(now.getTime() + 3_000);
			expect(await processInbox(h.db, { now: later, maxAttempts: 2 })).toMatchObject({ processed: 1, failed: 1 });
			expect(await inboxBacklog(h.db)).toMatchObject({ waiting: 0, failed: 1 });
			expect(await stored()).toEqual(['after', 'ok-1', 'ok-2']);
			const [dead] = await h.db.select().from(ingestInbox);
			expect(dead).toMatchObject({ messageId: 'boom', attempts: 2, failedAt: later });
		});

		if (kind === 'postgres') {
			it('several processors: rows another holds are skipped, and so are the later rows of the same sender', async () => {
				await accept(writer, [
					{ type: 'page', messageId: 'a1', anonymousId: 'a' },
					{ type: 'page', messageId: 'b1', anonymousId: 'b' },
					{ type: 'page', messageId: 'a2', anonymousId: 'a' },
					{ type: 'page', messageId: 'c1', userId: 'c' }
				]);
				let second: Awaited<ReturnType<typeof processInbox>> | undefined;
				// Processor 1 holds a1 (as if writing it) while processor 2 runs a pass.
				await h.db.transaction(async (tx) => {
					await tx.execute(sql`select seq from ingest_inbox where message_id = 'a1' for update`);
					second = await processInbox(h.db);
				});
				expect(second).toMatchObject({ processed: 2, failed: 0 });
				const done = (await h.db.select({ m: events.messageId }).from(events)).map((e) => e.m).sort();
				expect(done).toEqual(['b1', 'c1']);
				expect(await processInbox(h.db)).toMatchObject({ processed: 2 });
				expect(await h.db.$count(events)).toBe(4);
			});

			it('group commit: many concurrent requests, few writes, every message answered and stored once', async () => {
				const requests = Array.from({ length: 64 }, (_, i) => accept(writer, [{ type: 'track', messageId: `g-${i}`, userId: `u${i % 8}`, event: 'x' }]));
				const answers = (await Promise.all(requests)).flat();
				expect(new Set(answers.map((a) => a.eventId)).size).toBe(64);
				expect(await h.db.$count(ingestInbox)).toBe(64);
			});
		}
	});
}
