import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { enrollments } from '../../core/db/schema/journeys';
import { offers, type Offer } from '../../core/db/schema/offers';
import { customerByIdentity } from '../../core/identity/index';
import { createJourney, publish } from '../../core/journeys/index';
import { adToStoreJourney } from '../../core/graph/examples';
import { browserSuite, gotoHydrated } from '../helpers/browser';

/**
 * THE story, "one promotion, every channel", over the product's real HTTP, browser and Temporal paths: a customer
 * clicks a retargeting ad (ingest API, write key) → the live journey grants an offer → the ad's landing link
 * opens the shop on another device and the same code is in the cart → the store redeems it → the journey ends
 * as a conversion → the cart no longer offers it. The journey's one-day wait comes after the grant, so it does
 * not slow the story down: the redemption converts the enrollment while it waits.
 */
describe('the story: one promotion, every channel', () => {
	const suite = browserSuite();
	let storeContext: BrowserContext;
	let writeKey: string;

	beforeAll(async () => {
		// The conversion the story ends on: a redemption on any channel is the journey's goal.
		expect(adToStoreJourney.settings.goal?.events.map((g) => g.event)).toContain('offer_redeemed');
		const { journey } = await createJourney(suite.product.db.db, { name: 'Spring retargeting', template: 'adToStore' });
		await publish(suite.product.db.db, journey.id, { publishedBy: 'story test' });
		({ key: writeKey } = await createApiKey(suite.product.db.db, { name: 'shop tracking', kind: 'write', role: 'marketer' }));

		storeContext = await suite.browser.newContext();
		await (await suite.signedIn('store', '/store', storeContext)).close();
	});

	/** The ad platform's click, sent like any tracking library would: Segment `track` with the write key. */
	async function clickAd(who: { anonymousId: string; email: string; fbclid: string }): Promise<void> {
		const response = await fetch(`${suite.product.url}/api/v1/track`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
			body: JSON.stringify({
				anonymousId: who.anonymousId,
				event: 'ad_clicked',
				properties: { campaign: 'spring-retargeting', ad: 'Linen shirt carousel' },
				context: { traits: { email: who.email, firstName: 'Léa' }, campaign: { source: 'facebook', name: 'spring-retargeting', fbclid: who.fbclid } }
			})
		});
		expect(response.status).toBe(200);
	}

	/** The journey's grantOffer step ran: the offer row exists for the customer behind this anonymous id. */
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

	async function enrollmentStatus(customerId: string): Promise<string | undefined> {
		const [row] = await suite.product.db.db.select({ status: enrollments.status }).from(enrollments).where(eq(enrollments.customerId, customerId));
		return row?.status;
	}

	async function addToCart(shop: Page, productId: string): Promise<void> {
		await gotoHydrated(shop, `${suite.product.url}/shop/products/${productId}`);
		await shop.getByRole('button', { name: 'Add to cart' }).click();
		await shop.waitForURL(`${suite.product.url}/shop/cart`);
	}

	it('ad click → offer → same code in the web cart → redeemed at the store → converted → gone from the cart', async () => {
		const who = { anonymousId: `phone-${randomUUID()}`, email: `lea-${randomUUID().slice(0, 8)}@example.test`, fbclid: `fb.${randomUUID()}` };
		await clickAd(who);
		const { customerId, offer } = await grantedOffer(who.anonymousId);
		expect(offer).toMatchObject({ status: 'active', nodeId: 'offer', kind: 'percent' });
		expect(await enrollmentStatus(customerId)).toBe('active');

		// The ad's landing link, opened on another device (a fresh browser: no cookies from the phone).
		const laptop = await suite.browser.newContext();
		const shop = await laptop.newPage();
		await gotoHydrated(
			shop,
			`${suite.product.url}/shop?oc_cid=${encodeURIComponent(who.anonymousId)}&offer=${offer.code}&fbclid=${encodeURIComponent(who.fbclid)}`
		);
		await expect(shop.getByTestId('promo-banner').textContent()).resolves.toContain('15% off your next order');
		await addToCart(shop, 'linen-shirt');
		await expect(shop.getByTestId('cart-offer-code').textContent()).resolves.toBe(offer.code);
		await expect(shop.getByTestId('offer-applied').textContent()).resolves.toContain('€8.85'); // 15% of €59.00
		await expect(shop.getByTestId('total').textContent()).resolves.toBe('€50.15');
		const [held] = await suite.product.db.db.select().from(offers).where(eq(offers.id, offer.id));
		expect(held!.reservedBy).not.toBeNull(); // the cart holds it against other carts

		// At the store the associate finds her by the e-mail from the ad click and redeems the same code.
		const till = await storeContext.newPage();
		await gotoHydrated(till, `${suite.product.url}/store`);
		await till.getByLabel('Find a customer').fill(who.email);
		await till.getByRole('button', { name: 'Find' }).click();
		const card = till.getByTestId('offer').filter({ hasText: offer.code });
		await card.getByText('in an online cart').waitFor(); // the search answers after the click
		await card.getByRole('button', { name: 'Redeem' }).click();
		await till.getByTestId('redeem-feedback').filter({ hasText: 'Redeemed' }).waitFor();

		// offer_redeemed is routed to her enrollment, which was waiting a day before the e-mail: converted.
		await expect.poll(() => enrollmentStatus(customerId), { timeout: 30_000, interval: 250 }).toBe('converted');
		const [redeemed] = await suite.product.db.db.select().from(offers).where(eq(offers.id, offer.id));
		expect(redeemed).toMatchObject({ status: 'redeemed', redeemedChannel: 'store', reservedBy: null });

		// Back in the shop: the promotion is no longer offered, the cart says where it went, full price again.
		await shop.reload();
		await expect(shop.getByTestId('cart-offer').count()).resolves.toBe(0);
		await expect(shop.getByTestId('promo-banner').count()).resolves.toBe(0);
		await expect(shop.getByTestId('offer-spent').textContent()).resolves.toContain('used in store');
		await expect(shop.getByTestId('total').textContent()).resolves.toBe('€59.00');
		await shop.getByLabel('Quantity of Linen shirt').selectOption('2');
		await shop.getByTestId('total').filter({ hasText: '€118.00' }).waitFor();
		await shop.getByRole('button', { name: 'Remove Linen shirt' }).click();
		await shop.getByTestId('cart-empty').waitFor();
		await laptop.close();
		await till.close();
	});

	it('ad click → the cart finds the offer by the visitor alone → redeemed at checkout → converted → the store sees it used online', async () => {
		const who = { anonymousId: `phone-${randomUUID()}`, email: `noor-${randomUUID().slice(0, 8)}@example.test`, fbclid: `fb.${randomUUID()}` };
		await clickAd(who);
		const { customerId, offer } = await grantedOffer(who.anonymousId);

		// No code in the link this time: the cart finds her offer from who she is.
		const phone = await suite.browser.newContext();
		const shop = await phone.newPage();
		await gotoHydrated(shop, `${suite.product.url}/shop?oc_cid=${encodeURIComponent(who.anonymousId)}&fbclid=${encodeURIComponent(who.fbclid)}`);
		await addToCart(shop, 'denim-jacket');
		await expect(shop.getByTestId('cart-offer-code').textContent()).resolves.toBe(offer.code);
		await shop.getByLabel('E-mail').fill(who.email);
		await shop.getByRole('button', { name: 'Place order' }).click();
		const confirmation = shop.getByTestId('order-confirmation');
		await expect(confirmation.textContent()).resolves.toContain('€75.65'); // €89.00 − 15%
		await expect(confirmation.textContent()).resolves.toContain(offer.code);

		await expect.poll(() => enrollmentStatus(customerId), { timeout: 30_000, interval: 250 }).toBe('converted');
		const [row] = await suite.product.db.db
			.select()
			.from(offers)
			.where(and(eq(offers.id, offer.id), eq(offers.status, 'redeemed')));
		expect(row).toMatchObject({ redeemedChannel: 'web' });
		expect(row!.redeemedOrderId).toMatch(/^order-/);

		const till = await storeContext.newPage();
		await gotoHydrated(till, `${suite.product.url}/store?q=${encodeURIComponent(offer.code)}`);
		const card = till.getByTestId('offer').filter({ hasText: offer.code });
		await expect(card.getByTestId('offer-why').textContent()).resolves.toContain('Redeemed online');
		await expect(card.getByRole('button', { name: 'Redeem' }).count()).resolves.toBe(0);
		await phone.close();
		await till.close();
	});
});
