import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecipient } from '../../../core/channels/recipients';
import type { DbHandle } from '../../../core/db/client';
import { customers, identities } from '../../../core/db/schema/customers';
import { dbKinds, freshDb } from '../../helpers/db';

/**
 * Where a message goes: the survivor of any merges, its traits' address first, then the newest identity of the
 * whole family. A profile never merged is read in one statement, a merged one by following its survivor.
 */
describe.each(dbKinds())('the recipient of a message on %s', (kind) => {
	let h: DbHandle;
	const at = (day: number) => new Date(Date.UTC(2026, 2, day));

	beforeAll(async () => {
		h = await freshDb(kind);
		// old → mid → live: two merges; each profile brought its own addresses.
		await h.db.insert(customers).values([
			{ id: 'live', traits: { first_name: 'Ada' }, timezone: 'Europe/Paris', consent: { sms: { granted: true, source: 'form', at: at(1).toISOString() } } },
			{ id: 'mid', mergedInto: 'live' },
			{ id: 'old', mergedInto: 'mid' },
			{ id: 'told', traits: { email: ' Told@Example.com ', phone: '+33 6 12 34 56 78' } },
			{ id: 'gone', erasedAt: at(5) }
		]);
		await h.db.insert(identities).values([
			{ kind: 'email', value: 'ada@old.example', customerId: 'old', firstSeenAt: at(1) },
			{ kind: 'email', value: 'ada@new.example', customerId: 'mid', firstSeenAt: at(3) },
			{ kind: 'phone', value: '+33611111111', customerId: 'live', firstSeenAt: at(2) },
			{ kind: 'userId', value: 'u-ada', customerId: 'live', firstSeenAt: at(2) },
			{ kind: 'email', value: 'told@old.example', customerId: 'told', firstSeenAt: at(1) }
		]);
	});
	afterAll(() => h.close());

	it('answers for the survivor, with every address of the family, newest first, from any id of it', async () => {
		for (const id of ['live', 'mid', 'old']) {
			expect(await loadRecipient(h.db, id)).toEqual({
				customerId: 'live',
				traits: { first_name: 'Ada' },
				timezone: 'Europe/Paris',
				consent: { sms: { granted: true, source: 'form', at: at(1).toISOString() } },
				erased: false,
				email: 'ada@new.example',
				phone: '+33611111111',
				whatsapp: '+33611111111',
				emails: ['ada@new.example', 'ada@old.example'],
				phones: ['+33611111111']
			});
		}
	});

	it('puts what the customer last told us (traits) before the identities', async () => {
		expect(await loadRecipient(h.db, 'told')).toMatchObject({
			customerId: 'told',
			email: 'told@example.com',
			emails: ['told@example.com', 'told@old.example'],
			phone: '+33612345678'
		});
	});

	it('has nobody for an unknown or erased profile', async () => {
		expect(await loadRecipient(h.db, 'nobody')).toBeNull();
		expect(await loadRecipient(h.db, 'gone')).toBeNull();
	});
});
