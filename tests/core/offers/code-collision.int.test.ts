import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { customers } from '../../../core/db/schema/customers';
import { grantOffer } from '../../../core/offers/grant';
import { dbKinds, freshDb } from '../../helpers/db';

// Draw codes from a script first, so a collision with an existing offer's code can be forced.
const scripted: string[] = [];
vi.mock('../../../core/offers/codes', async (importOriginal) => {
	const real = await importOriginal<typeof import('../../../core/offers/codes')>();
	return { ...real, generateCode: (prefix?: string) => scripted.shift() ?? real.generateCode(prefix) };
});

const now = new Date('2026-03-01T10:00:00Z');
const base = { customerId: 'c', title: 't', kind: 'percent' as const, value: 10, validForMs: 3600_000, now };

describe.each(dbKinds())('offer code collisions on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await freshDb(kind);
		await h.db.insert(customers).values({ id: 'c' });
	});
	afterAll(() => h.close());

	it('draws a new code when the first one is taken by another grant', async () => {
		scripted.push('SAME-2222-2222');
		const first = await grantOffer(h.db, { ...base, grantKey: 'g1' });
		scripted.push('SAME-2222-2222', 'SAME-2222-2222', 'NEXT-3333-3333');
		const second = await grantOffer(h.db, { ...base, grantKey: 'g2' });
		expect(first.code).toBe('SAME-2222-2222');
		expect(second.code).toBe('NEXT-3333-3333');
		expect(scripted).toEqual([]);
	});
});
