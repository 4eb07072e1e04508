import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite } from '../helpers/browser';

describe('settings: keys and people', () => {
	const suite = browserSuite();

	// For a store associate the app lands on the 403 page at that URL: signed in all the same.
	const signInAs = (role: 'admin' | 'store'): Promise<Page> => suite.signedIn(role, '/settings');

	it('lets an admin create a write key that ingest then accepts, shown once', async () => {
		const page = await signInAs('admin');
		await page.getByLabel('Name').first().fill('Website');
		await page.getByRole('button', { name: 'Create key' }).click();
		const key = (await page.getByTestId('new-key').textContent())!.trim();
		expect(key).toMatch(/^oc_write_/);

		const res = await fetch(`${suite.product.url}/api/v1/track`, {
			method: 'POST',
			headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, 'content-type': 'application/json' },
			body: JSON.stringify({ userId: 'u-settings', event: 'product_viewed', properties: { sku: 'A1' } })
		});
		expect(res.status).toBe(200);

		await page.reload();
		await expect(page.getByTestId('new-key').count()).resolves.toBe(0);
		await expect(page.locator('table').first().textContent()).resolves.toContain('Website');
	});

	it('keeps store associates out', async () => {
		const page = await signInAs('store');
		const res = await page.goto(`${suite.product.url}/settings`);
		expect(res?.status()).toBe(403);
	});
});
