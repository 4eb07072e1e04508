import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { findHandoff } from '../../core/commerce/cart-token';
import { upsertProducts } from '../../core/commerce/products';
import { seedDemoCatalogue } from '../../core/commerce/seed';
import { carts, orders } from '../../core/db/schema/orders';
import { events } from '../../core/db/schema/events';
import { enrollments } from '../../core/db/schema/journeys';
import { offers, type Offer } from '../../core/db/schema/offers';
import { customerByIdentity, customerFamily } from '../../core/identity/index';
import { createJourney, publish } from '../../core/journeys/index';
import { browserSuite, gotoHydrated } from '../helpers/browser';

/**
 * The cart from phone to till: a customer's offer is in their phone's cart; at the store the associate types the
 * code the cart page shows, sees the items and the offer, and completes the sale — one order_completed with channel
 * store, the offer redeemed once, the journey converted, and the web cart empty on the phone (and on their laptop).
 */
describe('cart from phone to till', () => {
	const suite = browserSuite();
	let storeContext: BrowserContext;
	let writeKey: string;

	beforeAll(async () => {
		// The demo shop's products in Omnicanal's catalogue, as `npm start` loads them: the till prices from there.
		await seedDemoCatalogue(suite.product.db.db);
		const { journey } = await createJourney(suite.product.db.db, { name: 'Spring retargeting', template: 'adToStore' });
		await publish(suite.product.db.db, journey.id, { publishedBy: 'till test' });
		({ key: writeKey } = await createApiKey(suite.product.db.db, { name: 'shop tracking', kind: 'write', role: 'marketer' }));
		storeContext = await suite.browser.newContext();
		await (await suite.signedIn('store', '/store?store=paris-01', storeContext)).close();
	});

	async function clickAd(anonymousId: string): Promise<void> {
		const response = await fetch(`${suite.product.url}/api/v1/track`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
			body: JSON.stringify({ anonymousId, event: 'ad_clicked', properties: { campaign: 'spring-retargeting' }, context: { traits: { firstName: 'Chloé' } } })
		});
		expect(response.status).toBe(200);
	}

	async function grantedOffer(anonymousId: string): Promise<{ customerId: string; offer: Offer }> {
		let found: { customerId: string; offer: Offer } | undefined;
		await expect
			.poll(
				async () => {
					const customerId = await customerByIdentity(suite.product.db.db, 'anonymousId', anonymousId);
					const [offer] = customerId ? await suite.product.db.db.select().from(offers).where(eq(offers.customerId, customerId)) : [];
					found = customerId && offer ? { customerId, offer } : undefined;
					return found !== undefined;
				},
				{ timeout: 30_000, interval: 250 }
			)
			.toBe(true);
		return found!;
	}

	async function openShop(context: BrowserContext, anonymousId: string): Promise<Page> {
		const page = await context.newPage();
		await gotoHydrated(page, `${suite.product.url}/shop?oc_cid=${encodeURIComponent(anonymousId)}`);
		return page;
	}

	async function openTill(): Promise<Page> {
		const till = await storeContext.newPage();
		await gotoHydrated(till, `${suite.product.url}/store?store=paris-01`);
		return till;
	}

	/** The cart a typed code names. */
	async function cartOf(code: string): Promise<string | undefined> {
		const found = await findHandoff(suite.product.db.db, 'unused: a typed code is not signed', code);
		return found.ok ? found.cart.id : undefined;
	}

	async function typeCode(till: Page, code: string): Promise<void> {
		await till.getByLabel('Cart code').fill(code);
		await till.getByRole('button', { name: 'Open cart' }).click();
	}

	it('phone cart → code at the till → sale with the offer → converted, one order, web cart empty', async () => {
		const anonymousId = `phone-${randomUUID()}`;
		await clickAd(anonymousId);
		const { customerId, offer } = await grantedOffer(anonymousId);

		const phone = await suite.browser.newContext();
		const shop = await openShop(phone, anonymousId);
		await gotoHydrated(shop, `${suite.product.url}/shop/products/linen-shirt`);
		await shop.getByRole('button', { name: 'Add to cart' }).click();
		await shop.waitForURL(/\/shop\/cart/);
		await expect(shop.getByTestId('cart-offer-code').textContent()).resolves.toBe(offer.code);
		await expect(shop.getByTestId('total').textContent()).resolves.toBe('€50.15');
		await expect(shop.getByTestId('cart-qr').getAttribute('src')).resolves.toMatch(/^data:image\/svg\+xml;base64,/);
		const code = (await shop.getByTestId('cart-handoff-code').textContent())!.trim();
		expect(code).toMatch(/^[2-9A-Z]{3} [2-9A-Z]{3}$/);

		// The same customer on a second device sees the same cart.
		const laptop = await suite.browser.newContext();
		const laptopShop = await openShop(laptop, anonymousId);
		await gotoHydrated(laptopShop, `${suite.product.url}/shop/cart`);
		await expect(laptopShop.getByTestId('cart-line').count()).resolves.toBe(1);
		await expect(laptopShop.getByTestId('cart-handoff-code').textContent()).resolves.toBe(code);

		const till = await openTill();
		await typeCode(till, code.toLowerCase());
		const opened = till.getByTestId('till-opened');
		await opened.waitFor();
		await expect(opened.getByTestId('till-line').textContent()).resolves.toContain('Linen shirt');
		await expect(opened.getByText(offer.code).count()).resolves.toBe(1);
		await expect(opened.getByTestId('till-total').textContent()).resolves.toBe('€50.15');
		await opened.getByRole('button', { name: 'Complete sale' }).click();
		const sold = till.getByTestId('till-sold');
		await sold.waitFor();
		await expect(sold.textContent()).resolves.toContain('€50.15');
		await expect(sold.textContent()).resolves.toContain(offer.code);

		// The journey that granted the offer converts; the offer is redeemed once, in store, for this order.
		await expect
			.poll(async () => (await suite.product.db.db.select().from(enrollments).where(eq(enrollments.customerId, customerId)))[0]?.status, {
				timeout: 30_000,
				interval: 250
			})
			.toBe('converted');
		const [order] = await suite.product.db.db.select().from(orders).where(eq(orders.customerId, customerId));
		expect(order).toMatchObject({ channel: 'store', storeId: 'paris-01', fulfilment: 'in_store', totalCents: 5015, discountCents: 885, offerCode: offer.code });
		const [redeemed] = await suite.product.db.db.select().from(offers).where(eq(offers.id, offer.id));
		expect(redeemed).toMatchObject({ status: 'redeemed', redeemedChannel: 'store', redeemedStoreId: 'paris-01', redeemedOrderId: order!.id });
		const family = await customerFamily(suite.product.db.db, customerId);
		const completed = (await suite.product.db.db.select().from(events).where(eq(events.name, 'order_completed'))).filter((e) => family.includes(e.customerId!));
		expect(completed).toHaveLength(1);
		expect(completed[0]!.properties).toMatchObject({ order_id: order!.id, channel: 'store', store_id: 'paris-01', total: 50.15, coupon: offer.code });
		const redemptions = (await suite.product.db.db.select().from(events).where(eq(events.name, 'offer_redeemed'))).filter((e) =>
			family.includes(e.customerId!)
		);
		expect(redemptions).toHaveLength(1);

		// The phone's cart (and the laptop's) is empty now; the till cannot sell it twice.
		await shop.reload();
		await shop.getByTestId('cart-empty').waitFor();
		await laptopShop.reload();
		await laptopShop.getByTestId('cart-empty').waitFor();
		await typeCode(till, code);
		await expect(till.getByTestId('till-error').textContent()).resolves.toContain('already been checked out');
		await phone.close();
		await laptop.close();
		await till.close();
	});

	it('says so inline when the code is expired, forged or unknown', async () => {
		const anonymousId = `phone-${randomUUID()}`;
		const phone = await suite.browser.newContext();
		const shop = await openShop(phone, anonymousId);
		await gotoHydrated(shop, `${suite.product.url}/shop/products/canvas-tote`);
		await shop.getByRole('button', { name: 'Add to cart' }).click();
		await shop.waitForURL(/\/shop\/cart/);
		const code = (await shop.getByTestId('cart-handoff-code').textContent())!.trim();

		// Each answer replaces the last one's message: wait for the new text, not for any message.
		const till = await openTill();
		await typeCode(till, 'occart1.eyJjIjoiYSIsImsiOiJCIiwiZSI6OTk5OTk5OTk5OTk5OX0.c2lnbmVkLWJ5LXNvbWVvbmUtZWxzZS1lbnRpcmVseS14eXo');
		await till.getByTestId('till-error').filter({ hasText: 'not issued by us' }).waitFor();
		await typeCode(till, 'ZZZ ZZZ');
		await till.getByTestId('till-error').filter({ hasText: 'No cart has this code' }).waitFor();

		// Fifteen minutes later (moved in the database rather than waited for).
		const customerId = await customerByIdentity(suite.product.db.db, 'anonymousId', anonymousId);
		await suite.product.db.db
			.update(carts)
			.set({ handoffExpiresAt: new Date(Date.now() - 1000) })
			.where(and(eq(carts.customerId, customerId!), eq(carts.status, 'open')));
		await typeCode(till, code);
		await till.getByTestId('till-error').filter({ hasText: 'expired' }).waitFor();
		await expect(till.getByTestId('till-opened').count()).resolves.toBe(0);
		await phone.close();
		await till.close();
	});

	it('sells at the price in Omnicanal’s catalogue: a price loaded through the products API is the till’s', async () => {
		// The retailer's catalogue feed lowers the tote (PUT /api/v1/products does this upsert).
		await upsertProducts(suite.product.db.db, [{ sku: 'canvas-tote', name: 'Canvas tote', price: 24.5, currency: 'EUR', category: 'accessories' }]);
		const phone = await suite.browser.newContext();
		const shop = await openShop(phone, `phone-${randomUUID()}`);
		await gotoHydrated(shop, `${suite.product.url}/shop/products/canvas-tote`);
		await shop.getByRole('button', { name: 'Add to cart' }).click();
		await shop.waitForURL(/\/shop\/cart/);
		const code = (await shop.getByTestId('cart-handoff-code').textContent())!.trim();
		const cartId = await cartOf(code);
		// And something the catalogue does not have (sold on the site only): shown, not priced, not sold.
		const [cart] = await suite.product.db.db.select().from(carts).where(eq(carts.id, cartId!));
		await suite.product.db.db
			.update(carts)
			.set({ items: [...cart!.items, { productId: 'gift-wrap', qty: 2 }] })
			.where(eq(carts.id, cartId!));

		const till = await openTill();
		await typeCode(till, code);
		const opened = till.getByTestId('till-opened');
		await opened.waitFor();
		await expect(opened.getByTestId('till-line').textContent()).resolves.toContain('€24.50');
		await expect(opened.getByTestId('till-total').textContent()).resolves.toBe('€24.50');
		await expect(opened.getByTestId('till-unknown').textContent()).resolves.toContain('2 × gift-wrap');
		await opened.getByRole('button', { name: 'Complete sale' }).click();
		await till.getByTestId('till-sold').waitFor();
		const [order] = await suite.product.db.db.select().from(orders).where(eq(orders.cartId, cartId!));
		expect(order).toMatchObject({ totalCents: 2450, currency: 'EUR', items: [{ productId: 'canvas-tote', qty: 1, priceCents: 2450 }] });
		await phone.close();
		await till.close();
	});
});
