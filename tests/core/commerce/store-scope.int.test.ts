import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeForStep } from '../../../core/commerce/store-scope';
import type { DbHandle } from '../../../core/db/client';
import { customers } from '../../../core/db/schema/customers';
import type { JourneyEvent } from '../../../core/enrollment/contract';
import { dbKinds, freshDb } from '../../helpers/db';

const ready = (properties: Record<string, unknown>): JourneyEvent => ({ id: 'e1', name: 'order_ready', properties, timestamp: 0 });

/** Which store's list a store task lands on: the seeded stores (paris-01, lyon-01, …) are in every database. */
describe.each(dbKinds())('the store a step acts at (%s)', (kind) => {
	let h: DbHandle;
	const parisian = randomUUID();
	const nobody = randomUUID();
	beforeAll(async () => {
		h = await freshDb(kind);
		await h.db.insert(customers).values([
			{ id: parisian, traits: { preferred_store: 'paris-01' } },
			{ id: nobody, traits: {} }
		]);
	});
	afterAll(async () => h?.close());

	it('a fixed store, whoever the customer is', async () => {
		await expect(storeForStep(h.db, { kind: 'fixed', storeId: 'bordeaux-01' }, parisian)).resolves.toBe('bordeaux-01');
	});

	it('the customer’s preferred store, else the fallback', async () => {
		await expect(storeForStep(h.db, { kind: 'preferred', fallbackStoreId: 'lyon-01' }, parisian)).resolves.toBe('paris-01');
		await expect(storeForStep(h.db, { kind: 'preferred', fallbackStoreId: 'lyon-01' }, nobody)).resolves.toBe('lyon-01');
		await expect(storeForStep(h.db, { kind: 'preferred' }, nobody)).resolves.toBeUndefined();
	});

	it('the store the entry event names (an order’s pickup store), not the preferred one', async () => {
		const scope = { kind: 'event', property: 'store_id', fallbackStoreId: 'bordeaux-01' } as const;
		await expect(storeForStep(h.db, scope, parisian, ready({ store_id: 'lyon-01' }))).resolves.toBe('lyon-01');
		await expect(storeForStep(h.db, { kind: 'event', property: 'pickup.store' }, parisian, ready({ pickup: { store: 'brussels-01' } }))).resolves.toBe(
			'brussels-01'
		);
		// No such property, or a store that does not exist: the fallback, never a list nobody opens.
		await expect(storeForStep(h.db, scope, parisian, ready({}))).resolves.toBe('bordeaux-01');
		await expect(storeForStep(h.db, scope, parisian, ready({ store_id: 'atlantis-01' }))).resolves.toBe('bordeaux-01');
		await expect(storeForStep(h.db, scope, parisian)).resolves.toBe('bordeaux-01');
	});
});
