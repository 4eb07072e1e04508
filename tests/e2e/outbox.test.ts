import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { enrollments } from '../../core/db/schema/journeys';
import { messages } from '../../core/db/schema/messages';
import { adToStoreJourney } from '../../core/graph/examples';
import { browserSuite } from '../helpers/browser';
import { insertCustomer, publishTestJourney } from '../helpers/journeys';

/** The Outbox page: what journeys sent (or kept, without credentials), newest first, filtered and paged on the server. */
describe('outbox page', () => {
	const suite = browserSuite();
	let page: Page;

	beforeAll(async () => {
		const { db } = suite.product.db;
		const live = await publishTestJourney(suite.product.db, adToStoreJourney, 'Spring retargeting');
		const customerId = await insertCustomer(suite.product.db, { traits: { name: 'Chloé Dubois' } });
		const enrollmentId = `journey:${live.journeyId}:${customerId}:1`;
		await db.insert(enrollments).values({ id: enrollmentId, journeyId: live.journeyId, version: 1, customerId, n: 1 });
		const journey = { customerId, journeyId: live.journeyId, enrollmentId };
		const t0 = Date.now() - 3_600_000;
		// 30 older SMS kept in the outbox, then the newest: an HTML e-mail, and one that went out through SendGrid.
		await db.insert(messages).values(
			Array.from({ length: 30 }, (_, i) => ({
				id: `sms-${i}`,
				idempotencyKey: `sms-${i}`,
				channel: 'sms' as const,
				provider: 'outbox',
				...journey,
				nodeId: 'sms',
				to: '+33612345678',
				body: `Reminder number ${i}`,
				status: 'sent' as const,
				createdAt: new Date(t0 + i * 1000)
			}))
		);
		await db.insert(messages).values([
			{
				id: 'email-1',
				idempotencyKey: 'email-1',
				channel: 'email',
				provider: 'outbox',
				...journey,
				nodeId: 'email',
				to: 'chloe@example.test',
				subject: 'Your 15% off is waiting, Chloé',
				body: '<p>Use code <strong>AD15-TEST-CODE</strong> online or in store.</p>',
				meta: { format: 'html' },
				status: 'sent',
				createdAt: new Date(t0 + 60_000)
			},
			{
				id: 'email-2',
				idempotencyKey: 'email-2',
				channel: 'email',
				provider: 'sendgrid',
				...journey,
				nodeId: 'email',
				to: 'chloe@example.test',
				subject: 'Sent for real',
				body: 'Hello',
				status: 'delivered',
				createdAt: new Date(t0 + 120_000)
			}
		]);
		page = await suite.signedIn('marketer', '/outbox');
	});

	it('lists the outbox newest first with the text of HTML e-mails, the journey step and the customer; pages and filters', async () => {
		const rows = page.getByTestId('message-row');
		await expect(rows.count()).resolves.toBe(25);
		const first = rows.first();
		await expect(first.getAttribute('data-channel')).resolves.toBe('email');
		const text = (await first.textContent()) ?? '';
		expect(text).toContain('Your 15% off is waiting, Chloé');
		expect(text).toContain('Use code AD15-TEST-CODE online or in store.');
		expect(text).not.toContain('<strong>');
		expect(text).toContain('Spring retargeting');
		expect(text).toContain('Offer email'); // the step's label in the version the customer is on
		await expect(first.getByRole('link', { name: 'Chloé Dubois' }).getAttribute('href')).resolves.toMatch(/^\/customers\//);
		await expect(page.getByText('Page 1 of 2 · 31 messages').count()).resolves.toBe(1);
		expect(await page.getByText('Sent for real').count()).toBe(0);

		await page.getByRole('link', { name: 'Older' }).click();
		await page.getByText('Page 2 of 2').waitFor();
		await expect(rows.count()).resolves.toBe(6);
		await expect(rows.last().textContent()).resolves.toContain('Reminder number 0');

		await page.getByRole('link', { name: 'All providers' }).click();
		await page.getByText('Page 1 of 2 · 32 messages').waitFor();
		await expect(rows.first().textContent()).resolves.toContain('Sent for real');
		await page.getByRole('link', { name: 'Email', exact: true }).click();
		await page.getByText('Page 1 of 1 · 2 messages').waitFor();
		await expect(rows.count()).resolves.toBe(2);
	});
});
