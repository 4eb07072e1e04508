import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { identities } from '../../core/db/schema/customers';
import { browserSuite, gotoHydrated } from '../helpers/browser';
import { insertCustomer } from '../helpers/journeys';
import { waitingJourney } from '../core/journeys/fixtures';

/** Privacy in the browser: a customer's data exported from their page, and the audit log page listing admin actions. */
describe('privacy pages', () => {
	const suite = browserSuite();
	let keep: string;
	let erase: string;
	let journeyId: string;

	beforeAll(async () => {
		const { product } = suite;
		keep = await insertCustomer(product.db, { traits: { name: 'Inès Export', email: 'ines@example.test' } });
		await product.db.db.insert(identities).values({ kind: 'email', value: 'ines@example.test', customerId: keep });
		erase = await insertCustomer(product.db, { traits: { name: 'Gone Soon' } });
		// A publish and an erasure by an admin's secret key, through the real APIs.
		const { key } = await createApiKey(product.db.db, { name: 'dpo desk', kind: 'secret', role: 'admin' });
		const api = (path: string, body?: unknown) =>
			fetch(`${product.url}/api/v1${path}`, {
				method: 'POST',
				headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
				body: JSON.stringify(body ?? {})
			});
		journeyId = ((await (await api('/journeys', { name: 'Audited welcome', definition: waitingJourney() })).json()) as { journey: { id: string } }).journey.id;
		expect((await api(`/journeys/${journeyId}/publish`)).status).toBe(201);
		expect((await api(`/customers/${erase}/erase`)).status).toBe(200);
	});

	it('downloads everything about a customer from their page', async () => {
		const page = await suite.signedIn('admin', `/customers/${keep}`);
		const button = page.getByRole('link', { name: 'Export data' });
		await expect(button.isVisible()).resolves.toBe(true);
		const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
		expect(download.suggestedFilename()).toMatch(new RegExp(`^customer-${keep}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
		const file = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { customerId: string; profile: { traits: Record<string, unknown> } };
		expect(file.customerId).toBe(keep);
		expect(file.profile.traits.name).toBe('Inès Export');
		await page.close();
	});

	it('shows no export button to a marketer', async () => {
		const page = await suite.signedIn('marketer', `/customers/${keep}`);
		await expect(page.getByTestId('customer-name').textContent()).resolves.toContain('Inès Export');
		await expect(page.getByRole('link', { name: 'Export data' }).count()).resolves.toBe(0);
		await page.close();
	});

	it('lists the publish, the erasure and the export in the audit log, and filters by action', async () => {
		const page = await suite.signedIn('admin', '/settings');
		await page.getByRole('link', { name: /Audit log/ }).click();
		await page.waitForURL(/\/settings\/audit$/);
		const rows = page.getByTestId('audit-row');
		await expect(rows.count()).resolves.toBeGreaterThanOrEqual(3);
		const publish = page.locator('[data-testid="audit-row"][data-action="journey.publish"]');
		await expect(publish.textContent()).resolves.toContain('key:dpo desk');
		await expect(publish.textContent()).resolves.toContain('Audited welcome');
		await expect(publish.getByRole('link').getAttribute('href')).resolves.toBe(`/journeys/${journeyId}`);
		const erased = page.locator('[data-testid="audit-row"][data-action="customer.erase"]');
		await expect(erased.textContent()).resolves.toContain(erase);
		await expect(page.locator('[data-testid="audit-row"][data-action="customer.export"]').count()).resolves.toBe(1);

		// Filter: only erasures.
		await page.getByLabel('Action').selectOption('customer.erase');
		await page.getByRole('button', { name: 'Filter' }).click();
		await page.waitForURL(/action=customer\.erase/);
		await expect(rows.count()).resolves.toBe(1);
		await expect(rows.first().getAttribute('data-action')).resolves.toBe('customer.erase');

		// Nothing in a range before anything happened: the empty state says why.
		await gotoHydrated(page, `${suite.product.url}/settings/audit?to=2000-01-01`);
		await expect(page.getByTestId('audit-empty').textContent()).resolves.toContain('Nothing matches');
		await page.close();
	});

	it('keeps non-admins out of the audit log', async () => {
		const page = await suite.signedIn('marketer', '/journeys');
		const res = await page.goto(`${suite.product.url}/settings/audit`);
		expect(res?.status()).toBe(403);
		await page.close();
	});
});
