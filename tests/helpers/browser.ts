import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, with the flags our closed network needs (see DESIGN.md, Browser tests). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: [
			'--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'
		]
	});
}

/** Signs in through the login form and waits until the app has landed on `path` (the `next` it was given). */
export async function signIn(page: Page, baseUrl: string, user: { email: string; password: string }, path: string): Promise<void> {
	await page.goto(`${baseUrl}/login?next=${encodeURIComponent(path)}`);
	await page.getByLabel('E-mail').fill(user.email);
	await page.getByLabel('Password').fill(user.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL(`${baseUrl}${path}`);
}
