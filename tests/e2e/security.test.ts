import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gotoHydrated, launchBrowser, watchCspViolations } from '../helpers/browser';
import { startTestProduct, type TestProduct } from '../helpers/product';

/**
 * Finding from the 2026-11-30 review: without a Content-Security-Policy, markup injected into a page ran as script
 * and any site could frame the app. In Chromium: the app hydrates under its own policy (its inline script carries
 * the nonce), an injected script without it is refused, and a page framing ours gets nothing.
 */
describe('Content-Security-Policy in the browser', () => {
	let product: TestProduct;
	let browser: Browser;
	const violations: string[] = [];
	beforeAll(async () => {
		product = await startTestProduct('pglite');
		browser = await launchBrowser();
		watchCspViolations(browser, violations);
	});
	afterAll(async () => {
		await browser?.close();
		await product?.stop();
	});

	it('hydrates the app without a violation, and refuses an injected inline script', async () => {
		const page = await browser.newPage();
		await gotoHydrated(page, `${product.url}/login`);
		expect(violations).toEqual([]);
		await page.evaluate(() => {
			const s = document.createElement('script');
			s.textContent = 'window.__pwned = true';
			document.body.append(s);
		});
		expect(await page.evaluate(() => (window as { __pwned?: boolean }).__pwned ?? false)).toBe(false);
		await expect.poll(() => violations.some((v) => v.includes('script-src'))).toBe(true);
		await page.close();
	});

	it('cannot be framed by another page', async () => {
		violations.splice(0);
		const page = await browser.newPage();
		await page.setContent(`<iframe id="f" src="${product.url}/login"></iframe>`);
		await expect.poll(() => violations.some((v) => v.includes('frame-ancestors'))).toBe(true);
		const frame = page.frames().find((f) => f.url().startsWith(product.url));
		expect(
			(await frame
				?.locator('input[type=password]')
				.count()
				.catch(() => 0)) ?? 0
		).toBe(0);
		await page.close();
	});
});
