import { and, eq } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStoreTask } from '../../core/channels/store-tasks';
import { events } from '../../core/db/schema/events';
import { offers, redemptions, storeTasks } from '../../core/db/schema/offers';
import { ingestMessages } from '../../core/ingest/index';
import { grantOffer } from '../../core/offers/index';
import { browserSuite, gotoHydrated } from '../helpers/browser';

/**
 * The associate's till: find a customer by phone (typed the way people say it in France), see their offer with
 * its QR code, redeem it once; a second till that still shows it gets "already redeemed" inline; store tasks.
 */
describe('store page', () => {
	const suite = browserSuite();
	let context: BrowserContext;
	let customerId: string;
	let code: string;

	async function grant(key: string): Promise<string> {
		const offer = await grantOffer(suite.product.db.db, {
			grantKey: key,
			customerId,
			title: '15% off your next order',
			kind: 'percent',
			value: 15,
			validForMs: 14 * 86_400_000,
			codePrefix: 'AD15',
			now: new Date()
		});
		return offer.code;
	}

	async function findByPhone(page: Page, phone: string): Promise<void> {
		await gotoHydrated(page, `${suite.product.url}/store`);
		await page.getByLabel('Find a customer').fill(phone);
		await page.getByRole('button', { name: 'Find' }).click();
		await page.getByTestId('store-customer').waitFor();
	}

	beforeAll(async () => {
		const result = await ingestMessages(suite.product.db.db, [
			{
				type: 'identify',
				messageId: 'store-test-chloe',
				userId: 'u-chloe',
				traits: { name: 'Chloé Martin', email: 'chloe@example.test', phone: '+33 6 12 34 56 78', loyaltyId: 'LOY-1001', preferred_store: 'paris-01' }
			},
			{
				type: 'track',
				messageId: 'store-test-view',
				userId: 'u-chloe',
				event: 'product_viewed',
				properties: { product_id: 'linen-shirt', name: 'Linen shirt' }
			}
		]);
		customerId = result.accepted[0]!.customerId;
		code = await grant('store-test:1');
		await createStoreTask(suite.product.db.db, {
			taskKey: 'store-test:task',
			customerId,
			storeId: 'paris-01',
			title: 'Welcome back with 15% off',
			instructions: 'This customer has an unused 15% offer.'
		});
		context = await suite.browser.newContext();
		await (await suite.signedIn('store', '/store', context)).close();
	});

	it('finds the customer by phone, shows the offer and redeems it once; a stale till is told inline', async () => {
		const till = await context.newPage();
		const otherTill = await context.newPage();
		await findByPhone(till, '06 12 34 56 78');
		await findByPhone(otherTill, '06 12 34 56 78');

		await expect(till.getByTestId('customer-name').textContent()).resolves.toBe('Chloé Martin');
		await expect(till.getByText('Found by phone').count()).resolves.toBe(1);
		const card = till.getByTestId('offer').filter({ hasText: code });
		await expect(card.getAttribute('data-status')).resolves.toBe('active');
		// The QR code the customer could show instead: served by the offers API and really an image.
		const qr = card.getByRole('img', { name: `QR code for ${code}` });
		await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
		await expect(till.getByTestId('timeline').textContent()).resolves.toContain('Viewed a product');

		await card.getByRole('button', { name: 'Redeem' }).click();
		const redeemed = till.getByTestId('offer').filter({ hasText: code });
		await redeemed.getByTestId('redeem-feedback').filter({ hasText: 'Redeemed' }).waitFor();
		await expect(redeemed.getAttribute('data-status')).resolves.toBe('redeemed');
		await expect(redeemed.getByTestId('offer-why').textContent()).resolves.toContain('Redeemed in store Paris Marais');
		await expect(redeemed.getByRole('button', { name: 'Redeem' }).count()).resolves.toBe(0);

		const [row] = await suite.product.db.db.select().from(offers).where(eq(offers.code, code));
		expect(row).toMatchObject({ status: 'redeemed', redeemedChannel: 'store', redeemedStoreId: 'paris-01' });
		const converted = await suite.product.db.db
			.select()
			.from(events)
			.where(and(eq(events.name, 'offer_redeemed'), eq(events.customerId, customerId)));
		expect(converted).toHaveLength(1);

		// The other till still shows the offer as usable: its Redeem is refused, inline, in words.
		const stale = otherTill.getByTestId('offer').filter({ hasText: code });
		await stale.getByRole('button', { name: 'Redeem' }).click();
		await expect(stale.getByRole('alert').textContent()).resolves.toContain('Already redeemed');
		expect(
			await suite.product.db.db
				.select()
				.from(offers)
				.where(and(eq(offers.code, code), eq(offers.status, 'redeemed')))
		).toHaveLength(1);
		await till.close();
		await otherTill.close();
	});

	it('answers a double-submitted Redeem form with one redemption', async () => {
		const second = await grant('store-test:2');
		const till = await context.newPage();
		await findByPhone(till, '+33612345678');
		const form = till.getByTestId('offer').filter({ hasText: second }).locator('form');
		// The same form sent twice (a double click on a slow network, a resent request): same Idempotency-Key.
		const answers = await form.evaluate(async (f: HTMLFormElement) => {
			const send = () =>
				fetch(f.action, { method: 'POST', body: new FormData(f), headers: { 'x-sveltekit-action': 'true' } }).then(
					(r) => r.json() as Promise<{ type: string }>
				);
			return Promise.all([send(), send()]);
		});
		expect(answers.map((a) => a.type)).toEqual(['success', 'success']);
		expect(await suite.product.db.db.select().from(redemptions).where(eq(redemptions.offerCode, second))).toHaveLength(1);
		expect(
			await suite.product.db.db
				.select()
				.from(events)
				.where(and(eq(events.name, 'offer_redeemed'), eq(events.customerId, customerId)))
		).toHaveLength(2);
		await till.close();
	});

	it('finds the customer from a scanned or typed offer code, and says so when nobody matches', async () => {
		const till = await context.newPage();
		await gotoHydrated(till, `${suite.product.url}/store`);
		await till.getByLabel('Find a customer').fill(` ${code.toLowerCase()} `);
		await till.getByRole('button', { name: 'Find' }).click();
		await expect(till.getByTestId('customer-name').textContent()).resolves.toBe('Chloé Martin');
		await expect(till.getByText('Found by offer code').count()).resolves.toBe(1);

		await till.getByLabel('Find a customer').fill('LOY-1001');
		await till.getByRole('button', { name: 'Find' }).click();
		await till.getByText('Found by loyalty id').waitFor();

		await till.getByLabel('Find a customer').fill('nobody@example.test');
		await till.getByRole('button', { name: 'Find' }).click();
		await expect(till.getByTestId('not-found').textContent()).resolves.toContain('No customer found');
		await till.close();
	});

	it('lists the store’s open tasks and marks one done', async () => {
		const till = await context.newPage();
		await gotoHydrated(till, `${suite.product.url}/store`);
		const aside = till.getByRole('complementary');
		const task = aside.getByTestId('task').filter({ hasText: 'Welcome back with 15% off' });
		await expect(task.textContent()).resolves.toContain('Chloé Martin');
		await task.getByRole('button', { name: 'Mark “Welcome back with 15% off” done' }).click();
		await aside.getByRole('status').filter({ hasText: 'Done: Welcome back with 15% off' }).waitFor();
		await expect(aside.getByTestId('task').count()).resolves.toBe(0);
		const [row] = await suite.product.db.db.select().from(storeTasks).where(eq(storeTasks.taskKey, 'store-test:task'));
		expect(row).toMatchObject({ status: 'done', doneBy: 'Test store' });
		await till.close();
	});
});
