import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { segmentMembers, segments } from '../../../core/db/schema/customers';
import { events } from '../../../core/db/schema/events';
import { customerLookup } from '../../../core/identity/index';
import { ingestMessages } from '../../../core/ingest/index';
import { countMatching, countMembers, createSegment, customerMatches, refreshSegment, type SegmentDefinitionInput } from '../../../core/segments/index';
import { dbKinds, freshDb } from '../../helpers/db';
import { at, received, T0 } from '../ingest/fixtures';

const DAY = 86_400_000;
const viewedNoOrder: SegmentDefinitionInput = {
	match: 'all',
	conditions: [
		{ kind: 'event', event: 'product_viewed', within: { amount: 7, unit: 'days' }, filters: [{ path: 'product_id', op: 'eq', value: 'sku-1' }] },
		{ kind: 'event', event: 'order_completed', occurred: false }
	]
};

for (const kind of dbKinds()) {
	describe(`segments (${kind})`, () => {
		let h: DbHandle;
		beforeEach(async () => {
			h = await freshDb(kind);
		});
		afterEach(async () => {
			await h.close();
		});

		it('membership follows events as they arrive, with durable segment_entered / segment_left events', async () => {
			const seg = await createSegment(h.db, { id: 'browsers', name: 'Viewed sku-1, no order', definition: viewedNoOrder });
			const other = await ingestMessages(
				h.db,
				[{ type: 'track', messageId: 'v0', anonymousId: 'a', event: 'product_viewed', properties: { product_id: 'sku-2' }, timestamp: at(0) }],
				received(0)
			);
			expect(other.segments).toEqual([]);

			const viewed = await ingestMessages(
				h.db,
				[{ type: 'track', messageId: 'v1', anonymousId: 'a', event: 'product_viewed', properties: { product_id: 'sku-1' }, timestamp: at(1) }],
				received(1)
			);
			const customerId = viewed.accepted[0]!.customerId;
			expect(viewed.segments).toEqual([{ customerId, entered: [seg.id], left: [] }]);
			expect(viewed.eventIds).toHaveLength(2);
			const [signal] = await h.db.select().from(events).where(eq(events.id, viewed.eventIds[1]!));
			expect(signal).toMatchObject({ name: 'segment_entered', customerId, properties: { segmentId: seg.id, segmentName: seg.name } });
			expect(await countMembers(h.db, seg.id)).toBe(1);

			const bought = await ingestMessages(
				h.db,
				[{ type: 'track', messageId: 'o1', anonymousId: 'a', event: 'order_completed', properties: { total: 5 }, timestamp: at(2) }],
				received(2)
			);
			expect(bought.segments).toEqual([{ customerId, entered: [], left: [seg.id] }]);
			expect(await countMembers(h.db, seg.id)).toBe(0);
			expect(await h.db.$count(events, eq(events.name, 'segment_left'))).toBe(1);
		});

		it('time windows close on a scheduled refresh; the live count agrees', async () => {
			const seg = await createSegment(h.db, { name: 'recent viewers', definition: viewedNoOrder });
			await ingestMessages(
				h.db,
				[
					{ type: 'track', messageId: 'a1', anonymousId: 'a', event: 'product_viewed', properties: { product_id: 'sku-1' }, timestamp: at(0) },
					{ type: 'track', messageId: 'b1', anonymousId: 'b', event: 'product_viewed', properties: { product_id: 'sku-1' }, timestamp: at(0) }
				],
				received(0)
			);
			expect(await countMatching(h.db, viewedNoOrder, { asOf: new Date(T0 + DAY) })).toBe(2);
			expect(await countMatching(h.db, viewedNoOrder, { asOf: new Date(T0 + 8 * DAY) })).toBe(0);
			const later = await refreshSegment(h.db, seg.id, { asOf: new Date(T0 + 8 * DAY) });
			expect(later.left).toHaveLength(2);
			expect(later.entered).toEqual([]);
			expect(later.eventIds).toHaveLength(2);
			expect(await countMembers(h.db, seg.id)).toBe(0);
			// Idempotent: a second run changes nothing.
			expect(await refreshSegment(h.db, seg.id, { asOf: new Date(T0 + 8 * DAY) })).toEqual({ entered: [], left: [], eventIds: [] });
			const back = await refreshSegment(h.db, seg.id, { asOf: new Date(T0 + DAY) });
			expect(back.entered).toHaveLength(2);
		});

		it("trait, consent and order conditions use the journey filters' meaning, and bad values never raise", async () => {
			await ingestMessages(
				h.db,
				[
					{
						type: 'identify',
						messageId: 'i1',
						userId: 'ada',
						timestamp: at(0),
						traits: { age: '42', plan: 'Pro', tags: ['vip', 3], address: { city: 'Lyon' }, 'a.b': 1, weird: 'abc', big: '1e999999', consent: { email: true } }
					},
					{ type: 'track', messageId: 'i2', userId: 'ada', event: 'order_completed', properties: { revenue: 120 }, timestamp: at(1) },
					{ type: 'identify', messageId: 'i3', userId: 'bob', traits: { age: 17, tags: 'vip-ish' }, timestamp: at(0) }
				],
				received(2)
			);
			const ada = (await customerLookup(h.db, { userId: 'ada' }))!.id;
			const bob = (await customerLookup(h.db, { userId: 'bob' }))!.id;
			const who = async (def: SegmentDefinitionInput) =>
				[(await customerMatches(h.db, def, ada)) && 'ada', (await customerMatches(h.db, def, bob)) && 'bob'].filter(Boolean);
			const trait = (filter: Record<string, unknown>) => ({ conditions: [{ kind: 'trait', filter }] }) as SegmentDefinitionInput;
			expect(await who(trait({ path: 'age', op: 'eq', value: 42 }))).toEqual(['ada']);
			expect(await who(trait({ path: 'age', op: 'gt', value: 18 }))).toEqual(['ada']);
			expect(await who(trait({ path: 'age', op: 'lt', value: 18 }))).toEqual(['bob']);
			expect(await who(trait({ path: 'weird', op: 'gt', value: 1 }))).toEqual([]);
			expect(await who(trait({ path: 'big', op: 'gt', value: 1 }))).toEqual([]);
			expect(await who(trait({ path: 'plan', op: 'neq', value: 'Pro' }))).toEqual(['bob']);
			expect(await who(trait({ path: 'plan', op: 'contains', value: 'pr' }))).toEqual(['ada']);
			expect(await who(trait({ path: 'tags', op: 'contains', value: 'vip' }))).toEqual(['ada', 'bob']);
			expect(await who(trait({ path: 'tags', op: 'in', value: [3, 'x'] }))).toEqual(['ada']);
			expect(await who(trait({ path: 'address.city', op: 'eq', value: 'Lyon' }))).toEqual(['ada']);
			expect(await who(trait({ path: 'a.b', op: 'eq', value: '1' }))).toEqual(['ada']);
			expect(await who(trait({ path: 'plan', op: 'exists', value: false }))).toEqual(['bob']);
			expect(await who({ conditions: [{ kind: 'consent', channel: 'email', granted: true }] })).toEqual(['ada']);
			expect(await who({ conditions: [{ kind: 'orders', metric: 'lifetimeValue', op: 'gte', value: 100 }] })).toEqual(['ada']);
			expect(
				await who({
					match: 'any',
					conditions: [
						{ kind: 'orders', metric: 'count', op: 'eq', value: 0 },
						{ kind: 'event', event: 'order_completed', minCount: 2 }
					]
				})
			).toEqual(['bob']);
		});

		it('a stored definition that no longer validates is skipped, not fatal to ingest', async () => {
			await h.db.insert(segments).values({ id: 'broken', name: 'Broken', definition: { conditions: [{ kind: 'mystery' }] } });
			const ok = await createSegment(h.db, { name: 'all viewers', definition: { conditions: [{ kind: 'event', event: 'product_viewed' }] } });
			const r = await ingestMessages(h.db, [{ type: 'track', messageId: 'v', anonymousId: 'a', event: 'product_viewed' }]);
			expect(r.segments[0]!.entered).toEqual([ok.id]);
		});

		it('a merge keeps memberships with the survivor', async () => {
			const seg = await createSegment(h.db, { name: 'viewers', definition: { conditions: [{ kind: 'event', event: 'product_viewed' }] } });
			await ingestMessages(
				h.db,
				[
					{ type: 'track', messageId: 'm1', anonymousId: 'a', event: 'page_seen', timestamp: at(0) },
					{ type: 'track', messageId: 'm2', anonymousId: 'b', event: 'product_viewed', timestamp: at(1), context: { traits: { email: 'x@y.z' } } }
				],
				received(1)
			);
			const r = await ingestMessages(
				h.db,
				[{ type: 'identify', messageId: 'm3', anonymousId: 'a', traits: { email: 'x@y.z' }, timestamp: at(2) }],
				received(2)
			);
			const survivor = r.accepted[0]!.customerId;
			const rows = await h.db
				.select()
				.from(segmentMembers)
				.where(and(eq(segmentMembers.segmentId, seg.id)));
			expect(rows.map((m) => m.customerId)).toEqual([survivor]);
			expect(r.segments).toEqual([]); // it was a member through the loser already: not a new entry
		});

		it('rejects invalid definitions before storing them', async () => {
			await expect(createSegment(h.db, { name: 'x', definition: { conditions: [] } })).rejects.toThrow();
			await expect(
				createSegment(h.db, { name: 'x', definition: { conditions: [{ kind: 'trait', filter: { path: 'a', op: 'lt', value: 'abc' } }] } as never })
			).rejects.toThrow();
			expect(await h.db.$count(segments)).toBe(0);
		});
	});
}
