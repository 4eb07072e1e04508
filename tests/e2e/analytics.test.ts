import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite } from '../helpers/browser';
import { expectedAttribution, expectedFigures } from '../core/analytics/expected';
import { seedScenario, type Scenario } from '../core/analytics/fixture';

/** The journey dashboard and its canvas mode show the figures computed independently from the seeded rows. */
describe('journey analytics page', () => {
	const suite = browserSuite();
	let page: Page;
	let sc: Scenario;

	beforeAll(async () => {
		sc = await seedScenario(suite.product.db, 160);
		page = await suite.signedIn('analyst', `/journeys/${sc.journeyId}/analytics?version=2`);
	}, 240_000);

	it('shows the KPI tiles and the A/B table with the independently computed numbers', async () => {
		const want = expectedFigures(sc, { version: 2 });
		const tile = (id: string) => page.getByTestId(`kpi-${id}-value`).textContent();
		await expect(tile('entered')).resolves.toBe(String(want.kpis.entered));
		await expect(tile('active')).resolves.toBe(String(want.kpis.active));
		await expect(tile('converted')).resolves.toBe(String(want.kpis.converted));
		await expect(tile('rate')).resolves.toBe(`${((want.kpis.converted / want.kpis.entered) * 100).toFixed(1)}%`);
		for (const arm of ['a', 'b', 'holdout']) {
			await expect(page.getByTestId(`ab-${arm}-customers`).textContent()).resolves.toBe(String(want.arms[arm]!.customers));
			await expect(page.getByTestId(`ab-${arm}-converted`).textContent()).resolves.toBe(String(want.arms[arm]!.converted));
		}
		await expect(page.getByTestId('ab-method').textContent()).resolves.toMatch(/anytime-valid/);
		await expect(page.getByTestId('node-email-entered').textContent()).resolves.toBe(String(want.nodes.email!.enteredCustomers));
	});

	it('draws the funnel on the canvas: a step shows its count, and selecting it opens its detail with a chart', async () => {
		const want = expectedFigures(sc, { version: 2 });
		const node = page.locator('[data-testid="analytics-canvas"] .svelte-flow__node[data-id="split"]');
		await node.waitFor();
		await expect(node.textContent()).resolves.toContain(`${want.nodes.split!.enteredCustomers} entered`);
		await node.click();
		await expect(page.getByTestId('detail-entered').textContent()).resolves.toMatch(new RegExp(`^${want.nodes.split!.enteredCustomers} `));
		await page.getByTestId('node-detail').locator('svg').first().waitFor();
		await page.getByRole('button', { name: 'Percent' }).click();
		const edge = page.locator('[data-testid="analytics-canvas"]').getByText('%').first();
		await edge.waitFor();
	});

	it('reaches the attribution page from the navigation: conversions and first/last touch per channel', async () => {
		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
		await page.waitForURL(`${suite.product.url}/analytics`);
		const want = expectedAttribution(sc);
		await expect(page.getByTestId('attr-conversions').textContent()).resolves.toBe(String(want.conversions));
		await expect(page.getByTestId('attr-untouched').textContent()).resolves.toBe(String(want.untouched));
		for (const [channel, c] of Object.entries(want.credit)) {
			await expect(page.getByTestId(`credit-channel-${channel}-first`).textContent()).resolves.toBe(String(c.first));
			await expect(page.getByTestId(`credit-channel-${channel}-last`).textContent()).resolves.toBe(String(c.last));
		}
	});

	it('filters through the URL and explains an empty result', async () => {
		await page.goto(`${suite.product.url}/journeys/${sc.journeyId}/analytics?from=2030-01-01`);
		await expect(page.getByTestId('analytics-empty').textContent()).resolves.toContain('with these filters');
		await expect(page.getByTestId('kpi-entered-value').textContent()).resolves.toBe('0');
	});
});
