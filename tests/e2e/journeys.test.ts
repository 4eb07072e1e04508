import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, gotoHydrated, waitForHydration } from '../helpers/browser';
import { addCustomer } from '../core/journeys/fixtures';

describe('journeys pages', () => {
	const suite = browserSuite();
	let page: Page;

	beforeAll(async () => {
		await addCustomer(suite.product.db, 'ann', [{ kind: 'email', value: 'ann@example.test' }]);
		page = await suite.signedIn('marketer', '/journeys');
	});

	it('creates a journey from the ad → email → SMS → store template, lists it, publishes it', async () => {
		await expect(page.getByText('No journeys yet.').isVisible()).resolves.toBe(true);
		await page.getByRole('button', { name: 'New journey' }).click();
		await page.getByLabel('Name', { exact: true }).fill('Spring retargeting');
		await page.locator('input[name="template"][value="adToStore"]').check();
		await page.getByRole('button', { name: 'Create journey' }).click();

		// The new journey's page: a valid draft, its steps on the canvas, not yet live.
		await page.getByRole('heading', { level: 1, name: 'Spring retargeting' }).waitFor();
		await expect(page.getByTestId('status').first().textContent()).resolves.toBe('Draft');
		await page.getByTestId('problems-toggle').filter({ hasText: 'Ready to publish' }).waitFor();
		const steps = await page.getByTestId('step-label').allTextContents();
		expect(steps).toHaveLength(9);
		expect(steps).toContain('Clicked a retargeting ad');
		expect(await page.getByTestId('edge-label').allTextContents()).toContain('Timed out');

		// Listed with its status.
		await page.getByRole('link', { name: 'Journeys', exact: true }).first().click();
		const row = page.getByTestId('journey-row').filter({ hasText: 'Spring retargeting' });
		await row.waitFor();
		await expect(row.getByTestId('status').textContent()).resolves.toBe('Draft');

		// Published: active, version 1 live.
		await row.getByRole('link', { name: 'Spring retargeting' }).click();
		await page.getByRole('button', { name: 'Publish', exact: true }).click();
		await page.getByTestId('publish-confirm').click();
		await page.getByRole('status').filter({ hasText: 'Published version 1' }).waitFor();
		await expect(page.getByTestId('status').first().textContent()).resolves.toBe('Active');
		await expect(page.getByTestId('live-version').textContent()).resolves.toBe('Live: version 1');
		await expect(page.getByTestId('versions').textContent()).resolves.toContain('live');
		await page.getByTestId('change-summary').filter({ hasText: 'No changes' }).waitFor();

		// A customer entered by hand shows up in the enrollments table.
		await page.getByLabel('Enter a customer by hand').fill('ann@example.test');
		await page.getByRole('button', { name: 'Enter', exact: true }).click();
		await page.getByRole('status').filter({ hasText: 'The customer entered the journey' }).waitFor();
		await expect(page.getByTestId('enrollments').textContent()).resolves.toContain('ann@example.test');
		await page.getByLabel('Enter a customer by hand').fill('ann@example.test');
		await page.getByRole('button', { name: 'Enter', exact: true }).click();
		await page.getByRole('status').filter({ hasText: 'already in this journey' }).waitFor();

		await gotoHydrated(page, `${suite.product.url}/journeys`);
		const listed = page.getByTestId('journey-row').filter({ hasText: 'Spring retargeting' });
		await expect(listed.getByTestId('status').textContent()).resolves.toBe('Active');
		await expect(listed.textContent()).resolves.toContain('v1');

		// Paused from its page: new customers stop entering.
		await listed.getByRole('link', { name: 'Spring retargeting' }).click();
		await page.getByRole('button', { name: 'Pause' }).click();
		await page.getByRole('button', { name: 'Resume' }).waitFor();
		await expect(page.getByTestId('status').first().textContent()).resolves.toBe('Paused');
	});

	it('shows the problems of a broken draft in words and keeps it unpublishable', async () => {
		await gotoHydrated(page, `${suite.product.url}/journeys`);
		await page.getByRole('button', { name: 'New journey' }).click();
		await page.getByLabel('Name', { exact: true }).fill('Half built');
		await page.getByRole('button', { name: 'Create journey' }).click();
		await page.getByRole('heading', { level: 1, name: 'Half built' }).waitFor();
		// Let the page hydrate first: a click before that posts the form natively and reloads with the editor closed.
		await waitForHydration(page);

		await page.getByText('Advanced: edit the draft as JSON').click();
		const draft = JSON.parse(await page.getByLabel('Draft JSON').inputValue()) as { edges: unknown[] };
		draft.edges = [];
		await page.getByLabel('Draft JSON').fill(JSON.stringify(draft));
		await page.getByRole('button', { name: 'Save draft' }).click();
		await page.getByRole('status').filter({ hasText: 'Draft saved with' }).waitFor();
		await page.getByTestId('problems-toggle').click();
		const problems = await page.getByTestId('problem').allTextContents();
		expect(problems.some((p) => p.includes('End') && p.includes('reach'))).toBe(true);
		await expect(page.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).resolves.toBe(true);

		await page.getByLabel('Draft JSON').fill('{ not json');
		await page.getByRole('button', { name: 'Save draft' }).click();
		await expect(page.getByRole('alert').filter({ hasText: 'not valid JSON' }).textContent()).resolves.toContain('not valid JSON');
	});
});
