import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Role } from '../../core/db/schema/auth';
import type { TestDbKind } from './db';
import { createTestUser, startTestProduct, type TestProduct } from './product';

/** Debian's Chromium, with the flags our closed network needs (see DESIGN.md, Browser tests). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
}

/**
 * Waits until the page's app has hydrated (the root layout marks `<html data-hydrated>` in onMount). Before that a
 * click posts a form natively or follows a link with a full load, so tests wait for this rather than for idle network.
 */
export async function waitForHydration(page: Page): Promise<void> {
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}

/** `page.goto(url)`, then waits for the app to hydrate; returns goto's response (for its status). */
export async function gotoHydrated(page: Page, url: string): Promise<Response | null> {
	const response = await page.goto(url);
	await waitForHydration(page);
	return response;
}

/** Signs in through the login form and waits until the app has landed, hydrated, on `path` (the `next` it was given). */
export async function signIn(page: Page, baseUrl: string, user: { email: string; password: string }, path: string): Promise<void> {
	await gotoHydrated(page, `${baseUrl}/login?next=${encodeURIComponent(path)}`);
	await page.getByLabel('E-mail').fill(user.email);
	await page.getByLabel('Password').fill(user.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL(`${baseUrl}${path}`);
	await waitForHydration(page);
}

/** How Chromium reports what the Content-Security-Policy blocked (a console error on the page that tried). */
const CSP_VIOLATION = /Content Security Policy/i;

/**
 * Collects into `sink` every CSP violation on pages of `browser`'s contexts (however a test makes them), so a
 * suite fails when our policy blocks something the product needs (an inline script, a style, an image).
 */
export function watchCspViolations(browser: Browser, sink: string[]): void {
	const watched = new WeakSet<BrowserContext>();
	const watch = (context: BrowserContext) => {
		if (watched.has(context)) return context;
		watched.add(context);
		context.on('console', (msg) => {
			if (msg.type() === 'error' && CSP_VIOLATION.test(msg.text())) sink.push(`${msg.location().url}: ${msg.text()}`);
		});
		return context;
	};
	const newContext = browser.newContext.bind(browser);
	browser.newContext = async (...args) => watch(await newContext(...args));
	const newPage = browser.newPage.bind(browser);
	browser.newPage = async (...args) => {
		const page = await newPage(...args);
		watch(page.context());
		return page;
	};
}

export type BrowserSuite = {
	/** The running product (fresh database, own task queue); set once the suite's beforeAll has run. */
	readonly product: TestProduct;
	readonly browser: Browser;
	/** A new user of `role` signed in on a new page (of `context` when given, so its cookie stays there), landed on `path`. */
	signedIn(role: Role, path: string, context?: BrowserContext): Promise<Page>;
};

/**
 * The product and Chromium for one browser test file: registers a beforeAll that starts both and an afterAll that
 * stops both, and fails a test during which a page reported a Content-Security-Policy violation. Call it at the top of the `describe`, before the file's own hooks (which then see `suite.product`).
 */
export function browserSuite(opts: { kind?: TestDbKind } = {}): BrowserSuite {
	let product: TestProduct | undefined;
	let browser: Browser | undefined;
	const started = <T>(value: T | undefined): T => {
		if (!value) throw new Error('browserSuite: used before its beforeAll ran');
		return value;
	};
	const cspViolations: string[] = [];
	beforeAll(async () => {
		product = await startTestProduct(opts.kind);
		browser = await launchBrowser();
		watchCspViolations(browser, cspViolations);
	});
	afterEach(() => {
		expect(cspViolations.splice(0), 'Content-Security-Policy violations').toEqual([]);
	});
	afterAll(async () => {
		await browser?.close();
		await product?.stop();
	});
	return {
		get product() {
			return started(product);
		},
		get browser() {
			return started(browser);
		},
		async signedIn(role, path, context) {
			const user = await createTestUser(started(product).db, role);
			const page = await (context ?? started(browser)).newPage();
			await signIn(page, started(product).url, user, path);
			return page;
		}
	};
}
