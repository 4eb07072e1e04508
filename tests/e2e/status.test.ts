import { describe, expect, it } from 'vitest';
import { browserSuite, gotoHydrated } from '../helpers/browser';
import { createTestUser } from '../helpers/product';

describe('status page and sign-in', () => {
	const suite = browserSuite();

	it('shows the database, Temporal and the worker healthy', async () => {
		const page = await suite.browser.newPage();
		await gotoHydrated(page, `${suite.product.url}/status`);
		// The worker registers its poller asynchronously; the page refreshes itself every 5 s.
		await page.getByTestId('overall').filter({ hasText: 'All systems operational' }).waitFor({ timeout: 30_000 });
		const states = await page.getByTestId('component').evaluateAll((els) => els.map((e) => [e.getAttribute('data-name'), e.getAttribute('data-ok')]));
		expect(states).toEqual([
			['Database', 'true'],
			['Temporal', 'true'],
			['Worker', 'true']
		]);
		// The ingest pipeline: backlog and lag, and no internal details for a visitor.
		expect(await page.getByTestId('ingest').getAttribute('data-ok')).toBe('true');
		expect(await page.getByTestId('ingest-waiting').textContent()).toMatch(/^\d[\d,]*$/);
		expect(await page.getByTestId('ingest-lag').textContent()).toBeTruthy();
		expect(await page.locator('body').textContent()).not.toContain(suite.product.taskQueue);
	});

	it('sends a visitor to sign in, rejects a wrong password inline, and lets the right one in', async () => {
		const user = await createTestUser(suite.product.db, 'marketer');
		const page = await suite.browser.newPage();
		await gotoHydrated(page, `${suite.product.url}/journeys`);
		expect(new URL(page.url()).pathname).toBe('/login');

		await page.getByLabel('E-mail').fill(user.email);
		await page.getByLabel('Password').fill('wrong');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert').textContent()).resolves.toContain('Wrong e-mail or password');

		await page.getByLabel('Password').fill(user.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL(`${suite.product.url}/journeys`);
		await expect(page.getByRole('navigation', { name: 'Main' }).textContent()).resolves.toContain('Customers');
	});
});
