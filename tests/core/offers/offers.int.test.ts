import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { customers } from '../../../core/db/schema/customers';
import { events } from '../../../core/db/schema/events';
import { redemptions } from '../../../core/db/schema/offers';
import {
	activeOffersFor,
	CODE_ALPHABET,
	findOffer,
	grantOffer,
	latestOfferForEnrollment,
	redeemOffer,
	releaseOffer,
	reserveOffer,
	type GrantOfferInput
} from '../../../core/offers/index';
import { dbKinds, freshDb } from '../../helpers/db';
import { seedEnrollment } from '../channels/fixtures';

const T0 = new Date('2026-03-01T10:00:00Z');
const DAY = 24 * 3600_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

function grantInput(over: Partial<GrantOfferInput> = {}): GrantOfferInput {
	return {
		grantKey: `enr-${randomUUID()}:grant:1`,
		customerId: 'cust-1',
		journeyId: 'j-spring',
		enrollmentId: 'enr-1',
		nodeId: 'grant',
		title: '20% off spring',
		kind: 'percent',
		value: 20,
		validForMs: 7 * DAY,
		codePrefix: 'spring',
		now: T0,
		...over
	};
}

describe.each(dbKinds())('offers on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await freshDb(kind);
		await h.db.insert(customers).values([{ id: 'cust-1' }, { id: 'cust-old', mergedInto: 'cust-1' }, { id: 'cust-2' }]);
		for (const id of ['enr-1', 'enr-race', 'enr-tpl']) await seedEnrollment(h.db, id, 'cust-1');
	});
	afterAll(() => h.close());

	it('grants one human-friendly code per grant key, however often the grant is retried', async () => {
		const input = grantInput();
		const first = await grantOffer(h.db, input);
		const again = await grantOffer(h.db, { ...input, title: 'changed on retry', now: at(60_000) });
		expect(first.code).toMatch(new RegExp(`^SPRING-[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}$`));
		expect(again.id).toBe(first.id);
		expect(again.code).toBe(first.code);
		expect(again.title).toBe('20% off spring');
		expect(first).toMatchObject({ status: 'active', value: 20, kind: 'percent', expiresAt: at(7 * DAY).toISOString(), reservation: null, redemption: null });
		const other = await grantOffer(h.db, grantInput());
		expect(other.code).not.toBe(first.code);
	});

	it('refuses impossible grants', async () => {
		await expect(grantOffer(h.db, grantInput({ kind: 'amount', value: 5 }))).rejects.toThrow(/currency/);
		await expect(grantOffer(h.db, grantInput({ value: 120 }))).rejects.toThrow(/100/);
	});

	it('lists active offers across merged profiles, and treats a past expires_at as expired at read time', async () => {
		const mine = await grantOffer(h.db, grantInput({ customerId: 'cust-2', validForMs: DAY }));
		const merged = await grantOffer(h.db, grantInput({ customerId: 'cust-old', title: 'from the merged profile' }));
		const listed = await activeOffersFor(h.db, 'cust-1', T0);
		expect(listed.map((o) => o.id)).toContain(merged.id);
		expect(listed.map((o) => o.id)).not.toContain(mine.id);
		expect(await activeOffersFor(h.db, 'cust-old', T0)).toEqual(listed);

		expect((await activeOffersFor(h.db, 'cust-2', at(DAY - 1))).map((o) => o.id)).toEqual([mine.id]);
		expect(await activeOffersFor(h.db, 'cust-2', at(DAY))).toEqual([]);
		expect((await findOffer(h.db, mine.code.toLowerCase(), at(DAY)))?.status).toBe('expired');
		const late = await redeemOffer(h.db, { code: mine.code, channel: 'web', idempotencyKey: randomUUID(), now: at(DAY + 1) });
		expect(late).toMatchObject({ status: 410, answer: { ok: false, error: { code: 'expired' } } });
	});

	it('lets exactly one of 100 concurrent redemptions win, and replays the stored answer to a retry', async () => {
		const offer = await grantOffer(h.db, grantInput({ enrollmentId: 'enr-race' }));
		const keys = Array.from({ length: 100 }, () => randomUUID());
		const results = await Promise.all(
			keys.map((key, i) => redeemOffer(h.db, { code: offer.code, channel: i % 2 ? 'store' : 'web', orderId: `order-${i}`, idempotencyKey: key, now: at(1000) }))
		);
		const winners = results.filter((r) => r.answer.ok);
		expect(winners).toHaveLength(1);
		const losers = results.filter((r) => !r.answer.ok);
		expect(new Set(losers.map((r) => (r.answer.ok ? 'ok' : r.answer.error.code)))).toEqual(new Set(['already_redeemed']));
		expect(new Set(losers.map((r) => r.status))).toEqual(new Set([409]));

		const win = winners[0]!;
		const winKey = keys[results.indexOf(win)]!;
		expect(win.eventIds).toHaveLength(1);
		const emitted = await h.db.select().from(events).where(eq(events.name, 'offer_redeemed'));
		const mineEvents = emitted.filter((e) => e.properties.offerId === offer.id);
		expect(mineEvents).toHaveLength(1);
		expect(mineEvents[0]).toMatchObject({
			id: win.eventIds[0],
			type: 'track',
			messageId: `offer_redeemed:${offer.id}`,
			customerId: 'cust-1',
			properties: { code: offer.code, offerId: offer.id, journeyId: 'j-spring', enrollmentId: 'enr-race' }
		});

		const retry = await redeemOffer(h.db, { code: offer.code, channel: 'web', idempotencyKey: winKey, now: at(5000) });
		expect(retry.replayed).toBe(true);
		expect(retry.status).toBe(200);
		expect(retry.answer).toEqual(win.answer);
		expect(retry.eventIds).toEqual([]);
		const loserRetry = await redeemOffer(h.db, { code: offer.code, channel: 'web', idempotencyKey: keys[results.indexOf(losers[0]!)]!, now: at(6000) });
		expect(loserRetry).toMatchObject({ replayed: true, status: 409, answer: losers[0]!.answer });
		expect(await h.db.select().from(redemptions).where(eq(redemptions.offerCode, offer.code))).toHaveLength(100);
		expect((await findOffer(h.db, offer.code, at(7000)))?.redemption).toMatchObject({ channel: win.answer.ok ? win.answer.redemption.channel : '' });
	});

	it('answers not_found for unknown codes and refuses a key reused for another code', async () => {
		const key = randomUUID();
		expect(await redeemOffer(h.db, { code: 'NOPE-2222-3333', channel: 'api', idempotencyKey: key, now: T0 })).toMatchObject({
			status: 404,
			answer: { ok: false, error: { code: 'not_found' } }
		});
		const offer = await grantOffer(h.db, grantInput());
		expect(await redeemOffer(h.db, { code: offer.code, channel: 'api', idempotencyKey: key, now: T0 })).toMatchObject({
			status: 422,
			answer: { ok: false, error: { code: 'idempotency_key_reused' } }
		});
		expect((await findOffer(h.db, offer.code, T0))?.status).toBe('active');
	});

	it('holds an offer for one cart: others cannot reserve or redeem it until released or lapsed', async () => {
		const offer = await grantOffer(h.db, grantInput());
		const held = await reserveOffer(h.db, { code: offer.code, cartId: 'cart-a', holdMs: 10 * 60_000, now: T0 });
		expect(held).toMatchObject({ ok: true, offer: { reservation: { cartId: 'cart-a', until: at(10 * 60_000).toISOString() } } });
		expect(await reserveOffer(h.db, { code: offer.code, cartId: 'cart-b', now: at(1000) })).toMatchObject({ ok: false, error: { code: 'reserved' } });
		expect(await redeemOffer(h.db, { code: offer.code, channel: 'store', idempotencyKey: randomUUID(), now: at(2000) })).toMatchObject({
			status: 409,
			answer: { ok: false, error: { code: 'reserved' } }
		});
		expect(await releaseOffer(h.db, { code: offer.code, cartId: 'cart-b', now: at(3000) })).toMatchObject({ ok: false, error: { code: 'reserved' } });

		expect(await releaseOffer(h.db, { code: offer.code, cartId: 'cart-a', now: at(4000) })).toMatchObject({ ok: true, offer: { reservation: null } });
		expect(await releaseOffer(h.db, { code: offer.code, cartId: 'cart-a', now: at(4500) })).toMatchObject({ ok: true });
		expect(await reserveOffer(h.db, { code: offer.code, cartId: 'cart-b', now: at(5000) })).toMatchObject({ ok: true });
		// cart-b's default hold is 15 minutes; once it lapses cart-a may take the offer and redeem it.
		expect(await reserveOffer(h.db, { code: offer.code, cartId: 'cart-a', now: at(5000 + 15 * 60_000) })).toMatchObject({ ok: true });
		const redeemed = await redeemOffer(h.db, {
			code: offer.code,
			channel: 'web',
			cartId: 'cart-a',
			orderId: 'o-1',
			idempotencyKey: randomUUID(),
			now: at(16 * 60_000)
		});
		expect(redeemed).toMatchObject({
			status: 200,
			answer: { ok: true, offer: { status: 'redeemed', reservation: null, redemption: { orderId: 'o-1', channel: 'web' } } }
		});
		expect(await reserveOffer(h.db, { code: offer.code, cartId: 'cart-a', now: at(17 * 60_000) })).toMatchObject({
			ok: false,
			error: { code: 'already_redeemed' }
		});
	});

	it('honours store scope at redemption', async () => {
		const offer = await grantOffer(h.db, grantInput({ storeScope: ['store-lyon'] }));
		expect(await redeemOffer(h.db, { code: offer.code, channel: 'web', idempotencyKey: randomUUID(), now: T0 })).toMatchObject({
			status: 422,
			answer: { ok: false, error: { code: 'not_eligible' } }
		});
		expect(await redeemOffer(h.db, { code: offer.code, channel: 'store', storeId: 'store-paris', idempotencyKey: randomUUID(), now: T0 })).toMatchObject({
			status: 422
		});
		expect(await redeemOffer(h.db, { code: offer.code, channel: 'store', storeId: 'store-lyon', idempotencyKey: randomUUID(), now: T0 })).toMatchObject({
			status: 200,
			answer: { ok: true, redemption: { storeId: 'store-lyon' } }
		});
	});

	it('finds the offer an enrollment granted last, for templates', async () => {
		await grantOffer(h.db, grantInput({ enrollmentId: 'enr-tpl', title: 'first', now: T0 }));
		const second = await grantOffer(h.db, grantInput({ enrollmentId: 'enr-tpl', title: 'second', now: at(1000) }));
		expect((await latestOfferForEnrollment(h.db, 'enr-tpl', at(2000)))?.id).toBe(second.id);
		expect(await latestOfferForEnrollment(h.db, 'enr-none', at(2000))).toBeNull();
	});
});
