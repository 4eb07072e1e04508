import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { customers, merges } from '../../../core/db/schema/customers';
import { customerLookup, undoMerge } from '../../../core/identity/index';
import { ingestMessages } from '../../../core/ingest/index';
import { dbKinds, freshDb } from '../../helpers/db';
import { at, identitiesOf, liveCustomers, messageIdsOf, received } from './fixtures';

for (const kind of dbKinds()) {
	describe(`one customer across channels (${kind})`, () => {
		let h: DbHandle;
		beforeEach(async () => {
			h = await freshDb(kind);
		});
		afterEach(async () => {
			await h.close();
		});

		it('anonymous browsing, e-mail signup and a store visit by phone end as ONE customer with every event, and undo restores', async () => {
			const { db } = h;
			// 1. Anonymous browsing from an ad click.
			await ingestMessages(
				db,
				[
					{ type: 'page', messageId: 'm1', anonymousId: 'anon-1', name: 'Home', timestamp: at(0), context: { page: { url: 'https://shop.test/?gclid=G-1' } } },
					{ type: 'track', messageId: 'm2', anonymousId: 'anon-1', event: 'product_viewed', properties: { product_id: 'sku-1' }, timestamp: at(1) }
				],
				received(2)
			);
			// 2. E-mail signup on the same browser.
			await ingestMessages(
				db,
				[{ type: 'identify', messageId: 'm3', anonymousId: 'anon-1', traits: { email: ' Ada@Example.COM ', name: 'Ada' }, timestamp: at(3) }],
				received(3)
			);
			const [web] = await liveCustomers(db);
			// 3. The store's till knows her only by phone, and she buys.
			await ingestMessages(
				db,
				[
					{ type: 'identify', messageId: 'm4', anonymousId: 'pos-77', traits: { phone: '(415) 555-0100' }, timestamp: at(10) },
					{ type: 'track', messageId: 'm5', anonymousId: 'pos-77', event: 'order_completed', properties: { total: 42.5 }, timestamp: at(11) }
				],
				received(11)
			);
			expect(await liveCustomers(db)).toHaveLength(2);
			const store = (await liveCustomers(db)).find((c) => c.id !== web!.id)!;

			// 4. She signs in: one identify ties the phone to the e-mail.
			const result = await ingestMessages(
				db,
				[{ type: 'identify', messageId: 'm6', userId: 'u-1', traits: { email: 'ada@example.com', phone: '+1 415 555 0100' }, timestamp: at(20) }],
				received(20)
			);
			const live = await liveCustomers(db);
			expect(live).toHaveLength(1);
			const one = live[0]!;
			expect(one.id).toBe(web!.id); // the oldest profile survives
			expect(result.accepted[0]!.customerId).toBe(one.id);
			expect(result.mergeIds).toHaveLength(1);
			expect(await messageIdsOf(db, one.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
			expect(await identitiesOf(db, one.id)).toEqual([
				'anonymousId:anon-1',
				'anonymousId:pos-77',
				'email:ada@example.com',
				'gclid:G-1',
				'phone:+14155550100',
				'userId:u-1'
			]);
			expect(one.ordersCount).toBe(1);
			expect(one.lifetimeValue).toBe('42.50');
			expect(one.traits).toMatchObject({ name: 'Ada', email: 'ada@example.com', phone: '+1 415 555 0100' });
			const [loser] = await db.select().from(customers).where(eq(customers.id, store.id));
			expect(loser!.mergedInto).toBe(one.id);
			// Every channel's lookup finds the same person, including by the merged-away id.
			for (const q of [{ phone: '415-555-0100' }, { email: 'ADA@example.com' }, { anonymousId: 'pos-77' }, { customerId: store.id }, { userId: 'u-1' }]) {
				expect((await customerLookup(db, q))?.id).toBe(one.id);
			}

			// Undo gives the store profile back exactly its own.
			const undone = await undoMerge(db, result.mergeIds[0]!);
			expect(undone).toMatchObject({ survivorId: one.id, restoredId: store.id });
			expect(await liveCustomers(db)).toHaveLength(2);
			expect(await messageIdsOf(db, store.id)).toEqual(['m4', 'm5']);
			expect(await messageIdsOf(db, one.id)).toEqual(['m1', 'm2', 'm3', 'm6']);
			expect(await identitiesOf(db, store.id)).toEqual(['anonymousId:pos-77', 'phone:+14155550100']);
			const [restored] = await db.select().from(customers).where(eq(customers.id, store.id));
			const [survivor] = await db.select().from(customers).where(eq(customers.id, one.id));
			expect(restored).toMatchObject({ mergedInto: null, ordersCount: 1, lifetimeValue: '42.50', traits: { phone: '(415) 555-0100' } });
			expect(survivor).toMatchObject({ ordersCount: 0, lifetimeValue: '0.00' });
			// Traits the survivor set itself (m6) stay; ones only the loser had do not come back to the survivor.
			expect(survivor!.traits).toMatchObject({ name: 'Ada', phone: '+1 415 555 0100' });
			const [row] = await db.select().from(merges).where(eq(merges.id, result.mergeIds[0]!));
			expect(row!.undoneAt).not.toBeNull();
			await expect(undoMerge(db, result.mergeIds[0]!)).rejects.toMatchObject({ code: 'already_undone' });
		});
	});
}
