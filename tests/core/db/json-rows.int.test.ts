import { asc, eq, inArray, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { insertRows, insertRowsReturning, jsonRecords } from '../../../core/db/json-rows';
import { customers } from '../../../core/db/schema/customers';
import { events } from '../../../core/db/schema/events';
import { dbKinds, freshDb } from '../../helpers/db';

const at = new Date('2026-11-30T10:15:30.123Z');

/** Rows of different shapes: traits only on the identify, received_at (defaulted) left out of one. */
function eventRows(prefix: string) {
	return [
		{
			id: `${prefix}1`,
			messageId: `${prefix}m1`,
			type: 'identify' as const,
			customerId: 'c1',
			userId: 'u1',
			anonymousId: null,
			traits: { email: 'a@example.com', tags: ['x', 2], nested: { ok: true } },
			properties: {},
			context: {},
			timestamp: at,
			receivedAt: at
		},
		{
			id: `${prefix}2`,
			messageId: `${prefix}m2`,
			type: 'track' as const,
			name: 'order_completed',
			customerId: 'c1',
			userId: 'u1',
			properties: { total: 12.5, note: 'it\'s "quoted"' },
			context: { ip: '10.0.0.1' },
			timestamp: at,
			receivedAt: at
		},
		{
			id: `${prefix}3`,
			messageId: `${prefix}m3`,
			type: 'track' as const,
			name: 'page_viewed',
			customerId: 'c1',
			properties: { s: 'jsonb string' },
			timestamp: new Date(at.getTime() + 1)
		}
	];
}

for (const kind of dbKinds()) {
	describe(`insertRows and jsonRecords (${kind})`, () => {
		let h: DbHandle;
		beforeEach(async () => {
			h = await freshDb(kind);
			await h.db.insert(customers).values({ id: 'c1', firstSeenAt: at, lastSeenAt: at });
		});
		afterEach(async () => {
			await h.close();
		});

		it('writes the rows drizzle values() would, defaults included, in one statement per shape', async () => {
			await h.db.insert(events).values(eventRows('d'));
			await insertRows(h.db, events, eventRows('j'));
			const read = async (prefix: string) =>
				(
					await h.db
						.select()
						.from(events)
						.where(inArray(events.id, [`${prefix}1`, `${prefix}2`, `${prefix}3`]))
						.orderBy(asc(events.id))
				).map(({ id, messageId, receivedAt, ...rest }) => ({
					id: id.slice(1),
					messageId: messageId.slice(1),
					receivedAtSet: receivedAt instanceof Date,
					...rest
				}));
			const viaDrizzle = await read('d');
			expect(await read('j')).toEqual(viaDrizzle);
			expect(viaDrizzle).toHaveLength(3);
			expect(viaDrizzle[0]).toMatchObject({ traits: { email: 'a@example.com', tags: ['x', 2], nested: { ok: true } }, timestamp: at, routingAttempts: 0 });
			expect(viaDrizzle[2]).toMatchObject({ traits: null, context: {}, properties: { s: 'jsonb string' } });
		});

		it('takes no rows, and many more rows than a statement has parameters', async () => {
			await insertRows(h.db, events, []);
			const many = Array.from({ length: 5_000 }, (_, i) => ({
				id: `e${i}`,
				messageId: `m${i}`,
				type: 'track' as const,
				name: 'x',
				customerId: 'c1',
				properties: { i },
				context: {},
				timestamp: at
			}));
			await insertRows(h.db, events, many);
			const [{ n, sum }] = (await h.db.select({ n: sql<number>`count(*)::int`, sum: sql<number>`sum((properties->>'i')::int)::int` }).from(events)) as [
				{ n: number; sum: number }
			];
			expect({ n, sum }).toEqual({ n: 5_000, sum: (4_999 * 5_000) / 2 });
		});

		it('insertRowsReturning answers the rows inserted as drizzle types them; a conflict clause skips or updates', async () => {
			const rows = eventRows('r');
			const first = await insertRowsReturning(h.db, events, rows, { onConflict: sql`(message_id) do nothing` });
			const viaDrizzle = await h.db
				.select()
				.from(events)
				.where(inArray(events.id, ['r1', 'r2', 'r3']))
				.orderBy(asc(events.id));
			expect([...first].sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(viaDrizzle);
			expect(first[0]!.timestamp).toBeInstanceOf(Date);
			// The same messageIds again: nothing inserted, nothing answered.
			expect(await insertRowsReturning(h.db, events, rows, { onConflict: sql`(message_id) do nothing` })).toEqual([]);
			await insertRows(h.db, events, [{ ...rows[1]!, properties: { total: 99 } }], {
				onConflict: sql`(message_id) do update set properties = excluded.properties`
			});
			const [updated] = await h.db.select().from(events).where(eq(events.id, 'r2'));
			expect(updated!.properties).toEqual({ total: 99 });
		});

		it('jsonRecords feeds a set-based update with the values as given (numeric, timestamps, jsonb, null)', async () => {
			await h.db.insert(customers).values({ id: 'c2', timezone: 'Europe/Paris', firstSeenAt: at, lastSeenAt: at });
			const later = new Date(at.getTime() + 60_000);
			await h.db.execute(sql`
				update ${customers} c set traits = x.traits, timezone = x.timezone, last_seen_at = x.last_seen_at, lifetime_value = x.lifetime_value
				from jsonb_populate_recordset(null::${customers}, ${jsonRecords(customers, [
					{ id: 'c1', traits: { plan: 'gold' }, timezone: 'America/New_York', lastSeenAt: later, lifetimeValue: '19.90' },
					{ id: 'c2', traits: {}, timezone: null, lastSeenAt: later, lifetimeValue: '0' }
				])}) x where c.id = x.id`);
			const rows = await h.db.select().from(customers).orderBy(asc(customers.id));
			expect(
				rows.map(({ id, traits, timezone, lastSeenAt, lifetimeValue, firstSeenAt }) => ({ id, traits, timezone, lastSeenAt, lifetimeValue, firstSeenAt }))
			).toEqual([
				{ id: 'c1', traits: { plan: 'gold' }, timezone: 'America/New_York', lastSeenAt: later, lifetimeValue: '19.90', firstSeenAt: at },
				{ id: 'c2', traits: {}, timezone: null, lastSeenAt: later, lifetimeValue: '0.00', firstSeenAt: at }
			]);
			expect((await h.db.select({ id: customers.id }).from(customers).where(eq(customers.id, 'c1'))).length).toBe(1);
		});
	});
}
