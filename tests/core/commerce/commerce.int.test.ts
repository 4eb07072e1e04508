import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOpenCart, openCart, updateCart, withQuantity } from '../../../core/commerce/carts';
import { findHandoff, issueHandoff, signCartToken } from '../../../core/commerce/cart-token';
import { orderForCart, placeOrder, type PlaceOrderInput } from '../../../core/commerce/orders';
import { movePickup, pickupsAt } from '../../../core/commerce/pickups';
import type { DbHandle } from '../../../core/db/client';
import { carts } from '../../../core/db/schema/orders';
import { events } from '../../../core/db/schema/events';
import { customerByIdentity } from '../../../core/identity/index';
import { ingestMessages } from '../../../core/ingest/index';
import { dbKinds, freshDb } from '../../helpers/db';

const SECRET = 'test-secret';
const T0 = new Date('2026-11-30T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** A shop visitor as ingest knows them after their first page view. */
async function visitor(db: DbHandle['db'], anonymousId: string): Promise<string> {
	await ingestMessages(db, [{ type: 'page', name: 'Home', anonymousId, messageId: `page:${anonymousId}` }]);
	return (await customerByIdentity(db, 'anonymousId', anonymousId))!;
}

function order(cartId: string, over: Partial<PlaceOrderInput> = {}): PlaceOrderInput {
	return {
		cartId,
		customerId: null,
		anonymousId: null,
		channel: 'web',
		fulfilment: 'ship',
		items: [{ productId: 'linen-shirt', name: 'Linen shirt', qty: 1, priceCents: 5900 }],
		subtotalCents: 5900,
		discountCents: 0,
		totalCents: 5900,
		currency: 'EUR',
		offerCode: null,
		now: T0,
		...over
	};
}

describe.each(dbKinds())('commerce on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await freshDb(kind);
	});
	afterAll(() => h.close());

	it('gives one customer on two devices one cart, created once even when both add at the same moment', async () => {
		const customerId = await visitor(h.db, 'phone-1');
		// The laptop is the same person: they signed in on both devices.
		await ingestMessages(h.db, [
			{ type: 'identify', userId: 'u-7', anonymousId: 'phone-1', messageId: 'id:phone-1' },
			{ type: 'identify', userId: 'u-7', anonymousId: 'laptop-1', messageId: 'id:laptop-1' }
		]);
		const laptopCustomer = await customerByIdentity(h.db, 'anonymousId', 'laptop-1');
		expect(laptopCustomer).toBe(customerId);
		const [a, b] = await Promise.all([
			openCart(h.db, { customerId, anonymousId: 'phone-1' }),
			openCart(h.db, { customerId: laptopCustomer, anonymousId: 'laptop-1' })
		]);
		expect(a.id).toBe(b.id);
		await updateCart(h.db, a.id, { items: withQuantity(a.items, 'canvas-tote', 2, 'add') });
		const onLaptop = await findOpenCart(h.db, { customerId, anonymousId: 'laptop-1' });
		expect(onLaptop?.items).toEqual([{ productId: 'canvas-tote', qty: 2 }]);
	});

	it('adopts a visitor cart when the visitor becomes known, and folds it into the customer’s existing cart', async () => {
		const visitorCart = await openCart(h.db, { customerId: null, anonymousId: 'anon-2' });
		await updateCart(h.db, visitorCart.id, { items: [{ productId: 'wool-scarf', qty: 1 }], offerCode: 'SPRING-AAAA-BBBB' });
		const customerId = await visitor(h.db, 'anon-2');
		const adopted = await findOpenCart(h.db, { customerId, anonymousId: 'anon-2' });
		expect(adopted?.id).toBe(visitorCart.id);
		expect(adopted?.customerId).toBe(customerId);

		// Another profile of the same person with a visitor cart of its own, then joined to them (sign-in merges them).
		const other = await visitor(h.db, 'anon-3');
		const otherCart = await openCart(h.db, { customerId: null, anonymousId: 'anon-3-tab' });
		await updateCart(h.db, otherCart.id, {
			items: [
				{ productId: 'wool-scarf', qty: 2 },
				{ productId: 'ceramic-mug', qty: 1 }
			]
		});
		await ingestMessages(h.db, [
			{ type: 'identify', userId: 'u-42', anonymousId: 'anon-2', messageId: 'id:anon-2' },
			{ type: 'identify', userId: 'u-42', anonymousId: 'anon-3', messageId: 'id:anon-3' }
		]);
		expect(await customerByIdentity(h.db, 'anonymousId', 'anon-3')).toBe(await customerByIdentity(h.db, 'anonymousId', 'anon-2'));
		const merged = await findOpenCart(h.db, { customerId: other, anonymousId: 'anon-3-tab' });
		expect(merged?.id).toBe(visitorCart.id);
		expect(merged?.items).toEqual([
			{ productId: 'wool-scarf', qty: 3 },
			{ productId: 'ceramic-mug', qty: 1 }
		]);
		expect(merged?.offerCode).toBe('SPRING-AAAA-BBBB');
		const [folded] = await h.db.select().from(carts).where(eq(carts.id, otherCart.id));
		expect(folded?.status).toBe('merged');
	});

	it('hands a cart to the till by code or token until it expires or is sold', async () => {
		const customerId = await visitor(h.db, 'anon-till');
		const cart = await openCart(h.db, { customerId, anonymousId: 'anon-till' }, T0);
		await updateCart(h.db, cart.id, { items: [{ productId: 'linen-shirt', qty: 1 }] });
		const handoff = (await issueHandoff(h.db, SECRET, cart.id, T0))!;
		expect(handoff.code).toMatch(/^[2-9A-Z]{6}$/);
		// Reloading the cart page keeps the code while it has time left, renews it when it is about to lapse.
		expect((await issueHandoff(h.db, SECRET, cart.id, at(5)))!.code).toBe(handoff.code);
		const byCode = await findHandoff(h.db, SECRET, `${handoff.code.slice(0, 3).toLowerCase()} ${handoff.code.slice(3)}`, at(5));
		expect(byCode.ok && byCode.cart.id).toBe(cart.id);
		expect((await findHandoff(h.db, SECRET, handoff.token, at(5))).ok).toBe(true);
		expect(await findHandoff(h.db, SECRET, handoff.code, at(16))).toMatchObject({ ok: false, problem: 'expired' });
		expect(await findHandoff(h.db, SECRET, handoff.token, at(16))).toMatchObject({ ok: false, problem: 'expired' });
		expect(await findHandoff(h.db, SECRET, 'ZZZ ZZZ', at(5))).toMatchObject({ ok: false, problem: 'unknown' });
		expect(
			await findHandoff(h.db, 'stolen', signCartToken('not-our-secret', { cartId: cart.id, code: handoff.code, expiresAt: at(10).getTime() }), at(5))
		).toMatchObject({
			ok: false,
			problem: 'forged'
		});

		const renewed = (await issueHandoff(h.db, SECRET, cart.id, at(11)))!;
		expect(renewed.code).not.toBe(handoff.code);
		expect(await findHandoff(h.db, SECRET, handoff.token, at(11))).toMatchObject({ ok: false, problem: 'expired' });

		await placeOrder(
			h.db,
			order(cart.id, { customerId, anonymousId: 'anon-till', channel: 'store', storeId: 'paris-01', fulfilment: 'in_store', now: at(12) })
		);
		expect(await findHandoff(h.db, SECRET, renewed.code, at(13))).toMatchObject({ ok: false, problem: 'used' });
		expect(await findHandoff(h.db, SECRET, renewed.token, at(13))).toMatchObject({ ok: false, problem: 'used' });
		expect(await issueHandoff(h.db, SECRET, cart.id, at(13))).toBeNull();
	});

	it('places one order per cart, closing the cart, however often it is placed', async () => {
		const customerId = await visitor(h.db, 'anon-order');
		const cart = await openCart(h.db, { customerId, anonymousId: 'anon-order' });
		const input = order(cart.id, { customerId, anonymousId: 'anon-order' });
		const results = await Promise.all([placeOrder(h.db, input), placeOrder(h.db, input), placeOrder(h.db, input)]);
		expect(results.filter((r) => r.created)).toHaveLength(1);
		expect(new Set(results.map((r) => r.order.id)).size).toBe(1);
		expect((await orderForCart(h.db, cart.id))?.id).toBe(results[0]!.order.id);
		const [closed] = await h.db.select().from(carts).where(eq(carts.id, cart.id));
		expect(closed).toMatchObject({ status: 'ordered', orderId: results[0]!.order.id });
		expect(await updateCart(h.db, cart.id, { items: [] })).toBeNull();
		// The next change opens a new cart.
		expect((await openCart(h.db, { customerId, anonymousId: 'anon-order' })).id).not.toBe(cart.id);
		await expect(placeOrder(h.db, order('no-store-cart', { fulfilment: 'pickup' }))).rejects.toThrow(/pickup store/);
	});

	it('moves a pickup to ready then collected once each, emitting order_ready and order_picked_up once', async () => {
		const customerId = await visitor(h.db, 'anon-pickup');
		const cart = await openCart(h.db, { customerId, anonymousId: 'anon-pickup' });
		const { order: placed } = await placeOrder(
			h.db,
			order(cart.id, { customerId, anonymousId: 'anon-pickup', fulfilment: 'pickup', pickupStoreId: 'lyon-01', buyerName: 'Inès' })
		);
		expect((await pickupsAt(h.db, 'lyon-01')).to_prepare.map((o) => o.id)).toEqual([placed.id]);
		expect((await pickupsAt(h.db, 'paris-01')).to_prepare).toEqual([]);

		expect(await movePickup(h.db, { orderId: placed.id, storeId: 'paris-01', to: 'ready', now: at(60) })).toMatchObject({ ok: false, code: 'wrong_store' });
		const [first, second] = await Promise.all([
			movePickup(h.db, { orderId: placed.id, storeId: 'lyon-01', to: 'ready', now: at(60) }),
			movePickup(h.db, { orderId: placed.id, storeId: 'lyon-01', to: 'ready', now: at(61) })
		]);
		expect([first, second].filter((r) => r.ok && r.changed)).toHaveLength(1);
		expect((await pickupsAt(h.db, 'lyon-01')).ready.map((o) => o.id)).toEqual([placed.id]);
		const collected = await movePickup(h.db, { orderId: placed.id, storeId: 'lyon-01', to: 'collected', now: at(120) });
		expect(collected).toMatchObject({ ok: true, changed: true });
		expect(await movePickup(h.db, { orderId: placed.id, storeId: 'lyon-01', to: 'collected', now: at(121) })).toMatchObject({ ok: true, changed: false });
		expect((await pickupsAt(h.db, 'lyon-01')).collected.map((o) => o.id)).toEqual([placed.id]);

		const emitted = await h.db.select().from(events).where(eq(events.customerId, customerId));
		const pickupEvents = emitted.filter((e) => e.name === 'order_ready' || e.name === 'order_picked_up');
		expect(pickupEvents.map((e) => e.name).sort()).toEqual(['order_picked_up', 'order_ready']);
		expect(pickupEvents.find((e) => e.name === 'order_ready')?.properties).toMatchObject({
			order_id: placed.id,
			store_id: 'lyon-01',
			store_name: 'Lyon Presqu’île'
		});
	});
});
