import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { takeTurn, type Bucket } from '../../../core/throttle/index';
import { dbKinds, freshDb } from '../../helpers/db';

const T0 = new Date('2026-11-30T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe.each(dbKinds())('takeTurn, the sliding window checked right before a send (%s)', (kind) => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await freshDb(kind);
	});
	afterAll(async () => h?.close());

	it('lets `max` sends through per window, then says when the oldest leaves it; a retried send keeps its turn', async () => {
		const buckets: Bucket[] = [{ bucket: 'sms:window', rate: { max: 2, windowMs: 60_000 } }];
		await expect(takeTurn(h.db, buckets, 'a', at(0))).resolves.toEqual({ ok: true });
		await expect(takeTurn(h.db, buckets, 'b', at(10))).resolves.toEqual({ ok: true });
		await expect(takeTurn(h.db, buckets, 'c', at(20))).resolves.toEqual({ ok: false, until: at(60) });
		await expect(takeTurn(h.db, buckets, 'a', at(20))).resolves.toEqual({ ok: true });
		await expect(takeTurn(h.db, buckets, 'c', at(60))).resolves.toEqual({ ok: true });
	});

	it('counts a send stamped later by a concurrent attempt that took the lock first', async () => {
		// Two workers read their clocks 1 s apart; the later one wins the lock. At 1 per minute only it may send.
		const buckets: Bucket[] = [{ bucket: 'sms:race', rate: { max: 1, windowMs: 60_000 } }];
		await expect(takeTurn(h.db, buckets, 'later', at(1))).resolves.toEqual({ ok: true });
		await expect(takeTurn(h.db, buckets, 'earlier', at(0))).resolves.toEqual({ ok: false, until: at(61) });
	});
});
