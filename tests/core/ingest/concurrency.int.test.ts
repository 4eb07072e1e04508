import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { events } from '../../../core/db/schema/events';
import { ingestMessages } from '../../../core/ingest/index';
import { dbKinds, freshDb } from '../../helpers/db';
import { liveCustomers } from './fixtures';

/*
 * Parallel requests about the same person (PostgreSQL runs them on separate connections; PGlite serializes):
 * identifier locks must stop two transactions from each creating the person, and batches that cross the same
 * identifiers in opposite orders must not fail on a deadlock.
 */
for (const kind of dbKinds()) {
	describe(`concurrent ingest (${kind})`, () => {
		let h: DbHandle;
		beforeEach(async () => {
			h = await freshDb(kind);
		});
		afterEach(async () => {
			await h.close();
		});

		it('twenty parallel first sightings of one person create one customer', async () => {
			await Promise.all(
				Array.from({ length: 20 }, (_, i) =>
					ingestMessages(h.db, [{ type: 'identify', messageId: `p${i}`, anonymousId: 'same', traits: { email: 'same@x.io' } }])
				)
			);
			expect(await liveCustomers(h.db)).toHaveLength(1);
			expect(await h.db.$count(events)).toBe(20);
		});

		it('crossed batches merging the same profiles all succeed and end as one customer', async () => {
			await ingestMessages(h.db, [
				{ type: 'identify', messageId: 'a', anonymousId: 'a', traits: { email: 'a@x.io' } },
				{ type: 'identify', messageId: 'b', anonymousId: 'b', traits: { phone: '+14155550111' } },
				{ type: 'identify', messageId: 'c', anonymousId: 'c', traits: { loyaltyId: 'L-c' } }
			]);
			const ties = [
				[{ email: 'a@x.io' }, { phone: '+14155550111' }],
				[{ phone: '+14155550111' }, { loyaltyId: 'L-c' }],
				[{ loyaltyId: 'L-c' }, { email: 'a@x.io' }]
			];
			await Promise.all(
				Array.from({ length: 12 }, (_, i) =>
					ingestMessages(
						h.db,
						ties[i % 3]!.map((traits, j) => ({ type: 'identify', messageId: `t${i}-${j}`, userId: 'one', traits: { ...traits, ...ties[(i + 1) % 3]![j] } }))
					)
				)
			);
			expect(await liveCustomers(h.db)).toHaveLength(1);
			expect(await h.db.$count(events)).toBe(3 + 24);
		});
	});
}
