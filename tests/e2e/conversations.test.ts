import type { BrowserContext } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestMessages } from '../../core/ingest/index';
import { browserSuite, gotoHydrated } from '../helpers/browser';

/**
 * Advice that follows the customer: a chat recorded on the customer page (with a validation error met first) is on
 * the store page, folded into one conversation with the advisor's summary on top; repeated product views fold into
 * one expandable line, and the till's timeline pages.
 */
describe('conversations and the folded timeline', () => {
	const suite = browserSuite();
	let customerId: string;
	let context: BrowserContext;

	beforeAll(async () => {
		const t0 = Date.now() - 3_600_000;
		const views = Array.from({ length: 7 }, (_, i) => ({
			type: 'track',
			messageId: `conv-e2e-view-${i}`,
			userId: 'u-ines',
			event: 'product_viewed',
			timestamp: new Date(t0 + i * 1_000).toISOString(),
			properties: { product_id: `shoe-${i}` }
		}));
		const filler = Array.from({ length: 20 }, (_, i) => ({
			type: 'track',
			messageId: `conv-e2e-filler-${i}`,
			userId: 'u-ines',
			event: i % 2 ? 'newsletter_opened' : 'store_visited',
			timestamp: new Date(t0 - (i + 1) * 60_000).toISOString()
		}));
		const result = await ingestMessages(suite.product.db.db, [
			{
				type: 'identify',
				messageId: 'conv-e2e-id',
				userId: 'u-ines',
				timestamp: new Date(t0 - 86_400_000).toISOString(),
				traits: { name: 'Inès Moreau', phone: '+33 6 98 76 54 32' }
			},
			...views,
			...filler
		]);
		customerId = result.accepted[0]!.customerId!;
		context = await suite.browser.newContext();
	});

	it('records a chat on the customer page and shows it, summary on top, at the till', async () => {
		const page = await suite.signedIn('marketer', `/customers/${customerId}`, context);
		await page.getByText('Record a conversation').click();
		const form = page.getByTestId('conversation-form');
		await form.getByLabel('Channel', { exact: true }).selectOption('chat');
		await form.getByLabel('Topic').fill('Trail shoes');
		await form.getByRole('button', { name: 'Record' }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'Write what was said or advised.' }).textContent()).resolves.toContain('Write what was said');

		await form.getByLabel('What was said or advised').fill('Advised the Trail 2: light, good grip on wet rock.');
		await form.getByLabel('Summary for the next colleague').fill('Wants the Trail 2 in 42; will try it in Paris Marais');
		await form.getByRole('button', { name: 'Record' }).click();
		await page.getByTestId('conversation-summary').waitFor();
		// The form stays open on that conversation: a second line, said by the customer, continues it.
		await expect(form.getByLabel('Conversation', { exact: true }).inputValue()).resolves.toMatch(/^conv-/);
		await form.getByLabel('Said by').selectOption('customer');
		await form.getByLabel('What was said or advised').fill('Can you keep a pair for Saturday?');
		await form.getByRole('button', { name: 'Record' }).click();
		// The summary stays on top; the lines fold under it.
		await page.getByTestId('conversation').getByText('2 messages').waitFor();
		await expect(page.getByTestId('conversation').count()).resolves.toBe(1);
		await page.screenshot({ path: 'tests/artifacts/conversations/customer-page.png', fullPage: true });

		const till = await suite.signedIn('store', '/store', context);
		await gotoHydrated(till, `${suite.product.url}/store`);
		await till.getByLabel('Find a customer').fill('06 98 76 54 32');
		await till.getByRole('button', { name: 'Find' }).click();
		await till.getByTestId('store-customer').waitFor();
		const conv = till.getByTestId('conversation');
		await expect(conv.count()).resolves.toBe(1);
		await expect(conv.getByTestId('conversation-summary').textContent()).resolves.toContain('Wants the Trail 2 in 42');
		await expect(conv.textContent()).resolves.toContain('Trail shoes');

		// Seven product views read as one line that opens on demand.
		const run = till.getByTestId('timeline-run').filter({ hasText: 'Viewed 7 products' });
		await expect(run.count()).resolves.toBe(1);
		await run.locator('summary').click();
		await expect(run.locator('li').count()).resolves.toBe(7);

		// The till shows a page of entries and pages on: 1 conversation + 1 run + 20 others + the identify = 23 entries.
		const entries = till.getByTestId('timeline').locator(':scope > li');
		await expect(entries.count()).resolves.toBe(15);
		await till.getByTestId('timeline-more').click();
		await expect(entries.count()).resolves.toBeGreaterThan(15);
		await till.screenshot({ path: 'tests/artifacts/conversations/store-page.png', fullPage: true });
	});
});
