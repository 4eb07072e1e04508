import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { BrowserContext } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { clickAndCollectJourney } from '../../core/graph/templates/click-and-collect';
import { events } from '../../core/db/schema/events';
import { enrollments } from '../../core/db/schema/journeys';
import { messages } from '../../core/db/schema/messages';
import { orders } from '../../core/db/schema/orders';
import { customerByIdentity, customerFamily } from '../../core/identity/index';
import { createJourney, publish } from '../../core/journeys/index';
import { browserSuite, gotoHydrated } from '../helpers/browser';

/**
 * Click & collect end to end: an order placed in the shop with "collect in store" appears on that store's page
 * to prepare; "Ready" sends the customer the click-and-collect journey's SMS (in the outbox); "Collected" ends the
 * journey as converted. The 2-day reminder is the workflow test's (tests/workflows/commerce-templates.test.ts).
 */
describe('click & collect', () => {
	const suite = browserSuite();
	let storeContext: BrowserContext;
	let writeKey: string;

	beforeAll(async () => {
		// The template as shipped, without its quiet hours: the test must not depend on the hour it runs at.
		const definition = clickAndCollectJourney();
		delete definition.settings.quietHours;
		const { journey } = await createJourney(suite.product.db.db, { name: 'Click & collect', definition });
		await publish(suite.product.db.db, journey.id, { publishedBy: 'pickups test' });
		({ key: writeKey } = await createApiKey(suite.product.db.db, { name: 'shop tracking', kind: 'write', role: 'marketer' }));
		storeContext = await suite.browser.newContext();
		await (await suite.signedIn('store', '/store?store=lyon-01', storeContext)).close();
	});

	it('order online with collect in store → Ready sends the SMS → Collected converts the journey', async () => {
		const anonymousId = `phone-${randomUUID()}`;
		const phoneNumber = `+3361${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
		// The shop knows her phone (she gave it when she signed up).
		const identify = await fetch(`${suite.product.url}/api/v1/identify`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
			body: JSON.stringify({ anonymousId, traits: { phone: phoneNumber, firstName: 'Inès' } })
		});
		expect(identify.status).toBe(200);

		const phone = await suite.browser.newContext();
		const shop = await phone.newPage();
		await gotoHydrated(shop, `${suite.product.url}/shop?oc_cid=${encodeURIComponent(anonymousId)}`);
		await gotoHydrated(shop, `${suite.product.url}/shop/products/wool-scarf`);
		await shop.getByRole('button', { name: 'Add to cart' }).click();
		await shop.waitForURL(/\/shop\/cart/);
		await shop.getByTestId('collect-in-store').check();
		await shop.getByTestId('pickup-store').selectOption('lyon-01');
		await shop.getByLabel('E-mail').fill(`ines-${randomUUID().slice(0, 8)}@example.test`);
		await shop.getByLabel('Name').fill('Inès Martin');
		await shop.getByRole('button', { name: 'Place order' }).click();
		await expect(shop.getByTestId('pickup-confirmation').textContent()).resolves.toContain('Lyon');
		const orderId = (await shop.getByTestId('order-id').textContent())!.trim();
		const [order] = await suite.product.db.db.select().from(orders).where(eq(orders.id, orderId));
		expect(order).toMatchObject({ channel: 'web', fulfilment: 'pickup', pickupStoreId: 'lyon-01', status: 'placed', buyerName: 'Inès Martin' });

		const store = await storeContext.newPage();
		await gotoHydrated(store, `${suite.product.url}/store?store=lyon-01`);
		const toPrepare = store.getByTestId('pickups-to_prepare').getByTestId('pickup').filter({ hasText: orderId });
		await expect(toPrepare.textContent()).resolves.toContain('Inès Martin');
		await toPrepare.getByRole('button', { name: `Ready: ${orderId}` }).click();
		await store.getByTestId('pickup-feedback').filter({ hasText: 'is ready' }).waitFor();
		await store.getByTestId('pickups-ready').getByTestId('pickup').filter({ hasText: orderId }).waitFor();

		// The journey started on order_ready and texted her: the SMS is in the outbox (no Twilio credentials here).
		const customerId = (await customerByIdentity(suite.product.db.db, 'anonymousId', anonymousId))!;
		const family = await customerFamily(suite.product.db.db, customerId);
		const sms = async () =>
			(await suite.product.db.db.select().from(messages).where(eq(messages.channel, 'sms'))).filter(
				(m) => family.includes(m.customerId) && m.nodeId === 'ready-sms'
			);
		await expect.poll(async () => (await sms()).length, { timeout: 30_000, interval: 250 }).toBe(1);
		const [readySms] = await sms();
		expect(readySms!.body).toContain(orderId);
		expect(readySms!.body).toContain('Lyon Presqu’île');
		expect(readySms!.to).toBe(phoneNumber);

		await store
			.getByTestId('pickups-ready')
			.getByTestId('pickup')
			.filter({ hasText: orderId })
			.getByRole('button', { name: `Collected: ${orderId}` })
			.click();
		await store.getByTestId('pickups-collected').getByTestId('pickup').filter({ hasText: orderId }).waitFor();
		await expect
			.poll(
				async () =>
					(
						await suite.product.db.db
							.select()
							.from(enrollments)
							.where(and(eq(enrollments.customerId, customerId)))
					)[0]?.status,
				{
					timeout: 30_000,
					interval: 250
				}
			)
			.toBe('converted');
		const pickupEvents = (await suite.product.db.db.select().from(events).where(eq(events.customerId, customerId))).filter(
			(e) => e.name === 'order_ready' || e.name === 'order_picked_up'
		);
		expect(pickupEvents.map((e) => e.name).sort()).toEqual(['order_picked_up', 'order_ready']);
		expect((await sms()).length).toBe(1);
		await phone.close();
		await store.close();
	});
});
