import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, gotoHydrated } from '../helpers/browser';
import { addCustomer, addEnrollment } from '../core/journeys/fixtures';

/** Screenshots kept as test artifacts (git-ignored). */
const shots = resolve(import.meta.dirname, '../../test-results/e2e');

/** Presses Tab until `selector` has the focus, as a keyboard user would (fails after `max` presses). */
async function tabTo(page: Page, selector: string, max = 40): Promise<void> {
	for (let i = 0; i < max; i++) {
		if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
		await page.keyboard.press('Tab');
	}
	throw new Error(`Tab never reached ${selector}`);
}

describe('journeys list', () => {
	const suite = browserSuite();
	let page: Page;

	beforeAll(async () => {
		mkdirSync(shots, { recursive: true });
		await page?.close();
		page = await suite.signedIn('marketer', '/journeys');
		await page.setViewportSize({ width: 1280, height: 900 });
	});

	it('explains itself when empty, then creates a journey from a template with the keyboard alone', async () => {
		await page.getByTestId('journeys-empty').getByText('No journeys yet.').waitFor();

		await tabTo(page, '[data-testid="new-journey"]');
		await page.keyboard.press('Enter');
		const dialog = page.getByTestId('new-journey-dialog');
		await dialog.waitFor();
		await expect(dialog.getByTestId('template-card').count()).resolves.toBe(8);
		await expect(dialog.locator('[data-template="abandonedCart"]').textContent()).resolves.toContain('Ordered within the hour?');

		await tabTo(page, 'input[name="name"]');
		await page.keyboard.type('Cart rescue');
		// Into the template radio group (on "Blank journey"), then down to the abandoned cart.
		await page.keyboard.press('Tab');
		await expect(page.evaluate(() => (document.activeElement as HTMLInputElement).value)).resolves.toBe('blank');
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('ArrowDown');
		await expect(dialog.locator('input[name="template"]:checked').getAttribute('value')).resolves.toBe('abandonedCart');
		await expect(dialog.locator('[data-selected="true"]').getAttribute('data-template')).resolves.toBe('abandonedCart');
		await page.screenshot({ path: `${shots}/journeys-list-new-dialog.png` });
		await tabTo(page, '[data-testid="create-journey"]');
		await page.keyboard.press('Enter');

		await page.waitForURL(/\/journeys\/[0-9a-f-]{36}$/);
		const id = page.url().split('/').pop()!;
		await gotoHydrated(page, `${suite.product.url}/journeys`);
		const row = page.locator(`[data-testid="journey-row"][data-journey="${id}"]`);
		await expect(row.getByRole('link').textContent()).resolves.toBe('Cart rescue');
		await expect(row.getByTestId('status').textContent()).resolves.toBe('Draft');
		await expect(row.getByTestId('rate').textContent()).resolves.toBe('—');

		// Customers in it (as the engine records them): the counts follow.
		for (const c of ['ann', 'bob', 'cy']) await addCustomer(suite.product.db, c);
		await addEnrollment(suite.product.db, { journeyId: id, customerId: 'ann', status: 'active' });
		await addEnrollment(suite.product.db, { journeyId: id, customerId: 'bob', status: 'converted' });
		await addEnrollment(suite.product.db, { journeyId: id, customerId: 'cy', status: 'completed' });
		await addEnrollment(suite.product.db, { journeyId: id, customerId: 'cy', n: 2, status: 'converted' });
		await gotoHydrated(page, `${suite.product.url}/journeys`);
		const counts = await Promise.all(['entered', 'active', 'converted', 'rate'].map((t) => row.getByTestId(t).textContent()));
		expect(counts).toEqual(['4', '1', '2', '50%']);
	});

	it('duplicates a journey as a draft copy, archives it and finds it under Archived', async () => {
		const original = page.getByTestId('journey-row').filter({ hasText: 'Cart rescue' });
		await original.getByRole('button', { name: 'Duplicate Cart rescue' }).click();
		await page.getByTestId('row-message').filter({ hasText: 'Created “Cart rescue (copy)” as a draft.' }).waitFor();
		const copy = page.getByTestId('journey-row').filter({ hasText: 'Cart rescue (copy)' });
		await expect(copy.getByTestId('status').textContent()).resolves.toBe('Draft');
		await expect(copy.getByTestId('entered').textContent()).resolves.toBe('0');
		await page.screenshot({ path: `${shots}/journeys-list.png`, fullPage: true });

		await copy.getByRole('button', { name: 'Archive Cart rescue (copy)' }).click();
		await page.getByTestId('row-message').filter({ hasText: 'Archived “Cart rescue (copy)”' }).waitFor();
		await expect(page.getByTestId('journey-row').filter({ hasText: 'Cart rescue (copy)' }).count()).resolves.toBe(0);
		await expect(page.getByTestId('journey-row').count()).resolves.toBe(1);

		await page.getByTestId('archived-filter').click();
		await page.waitForURL(/archived=only/);
		const archived = page.getByTestId('journey-row');
		await expect(archived.count()).resolves.toBe(1);
		await expect(archived.getByRole('link').textContent()).resolves.toBe('Cart rescue (copy)');
		await expect(archived.getByTestId('archived').textContent()).resolves.toBe('Archived');
		await page.screenshot({ path: `${shots}/journeys-list-archived.png` });

		// Search keeps the Archived view; nothing else matches there.
		await page.getByLabel('Search journeys by name').fill('nothing like this');
		await page.getByRole('button', { name: 'Search' }).click();
		await page.getByTestId('journeys-empty').getByText('No archived journeys for “nothing like this”.').waitFor();
	});
});
