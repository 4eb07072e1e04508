import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJourney } from '../../core/journeys/index';
import { browserSuite, gotoHydrated } from '../helpers/browser';

/** Screenshots of each stage, kept as test artifacts (gitignored). */
const ARTIFACTS = resolve(import.meta.dirname, '../artifacts/builder');
mkdirSync(ARTIFACTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png` });

const EMPTY = { schemaVersion: 1, nodes: [], edges: [], settings: { reentry: { mode: 'never' }, exitCriteria: [] } };

const node = (page: Page, id: string) => page.locator(`.svelte-flow__node[data-id="${id}"]`);
/** The step's face inside xyflow's node wrapper: carries data-problems and data-mark. */
const step = (page: Page, id: string) => node(page, id).locator('[data-testid="step"]');
const nodeCount = (page: Page) => page.locator('.svelte-flow__node').count();
const panel = (page: Page) => page.getByTestId('side-panel');

async function center(l: Locator): Promise<{ x: number; y: number }> {
	const b = (await l.boundingBox())!;
	return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** A real mouse drag (the palette's items are HTML5 draggables; Chromium runs the drag from these events). */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
	await page.mouse.move(from.x, from.y);
	await page.mouse.down();
	await page.mouse.move(from.x + 10, from.y + 10, { steps: 3 });
	await page.mouse.move(to.x, to.y, { steps: 12 });
	await page.mouse.up();
}

async function dragKind(page: Page, kind: string, to: { x: number; y: number }) {
	await drag(page, await center(page.locator(`[data-testid="palette"] [data-kind="${kind}"]`)), to);
}

/** The middle of an edge's path on screen (xyflow draws edges as SVG; Playwright never calls them visible). */
async function edgeMiddle(page: Page, edgeId: string): Promise<{ x: number; y: number }> {
	const path = page.locator(`.svelte-flow__edge[data-id="${edgeId}"] path.svelte-flow__edge-path`);
	await path.waitFor({ state: 'attached' });
	return path.evaluate((el) => {
		const p = el as SVGPathElement;
		const pt = p.getPointAtLength(p.getTotalLength() / 2);
		const m = p.getScreenCTM()!;
		return { x: pt.x * m.a + pt.y * m.c + m.e, y: pt.x * m.b + pt.y * m.d + m.f };
	});
}

const edgeIds = (page: Page) => page.locator('.svelte-flow__edge').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')).sort());

/** Tidy up, then let the fit-to-view animation finish before reading positions on screen. */
async function tidyUp(page: Page) {
	await page.getByRole('button', { name: 'Tidy up' }).click();
	await page.waitForTimeout(600);
}

async function saved(page: Page) {
	await page
		.getByTestId('save-state')
		.filter({ hasText: /^\s*Saved\s*$/ })
		.waitFor();
}

async function selectNode(page: Page, id: string) {
	// The panel may still show the step selected before: wait until this one is selected. On a busy machine a click
	// can land while the canvas is still settling the last edit, so it is repeated (selecting twice changes nothing).
	for (let attempt = 1; ; attempt++) {
		await node(page, id).locator('[data-testid="step-label"]').click();
		const selected = await expect
			.poll(() => node(page, id).getAttribute('class'), { timeout: 5_000 })
			.toContain('selected')
			.then(() => true)
			.catch(() => false);
		if (selected) break;
		if (attempt === 3) throw new Error(`step ${id} was not selected after three clicks`);
	}
	await panel(page).getByTestId('node-panel').waitFor();
}

async function openJourney(page: Page, id: string) {
	await gotoHydrated(page, `${page.url().split('/journeys')[0]}/journeys/${id}`);
	await page.locator('[data-testid="canvas"] .svelte-flow').waitFor();
}

describe('the visual journey builder', () => {
	const suite = browserSuite();
	let page: Page;
	let journeyId: string;
	let otherId: string;

	beforeAll(async () => {
		page = await suite.signedIn('marketer', '/journeys');
		await page.setViewportSize({ width: 1280, height: 900 });
		({
			journey: { id: journeyId }
		} = await createJourney(suite.product.db.db, { name: 'Built on the canvas', definition: EMPTY }));
		({
			journey: { id: otherId }
		} = await createJourney(suite.product.db.db, { name: 'Second journey' }));
	});

	it('builds trigger → email → SMS → offer → exit by dragging from the palette and dropping onto edges', async () => {
		await openJourney(page, journeyId);
		await expect(nodeCount(page)).resolves.toBe(0);
		const canvas = (await page.getByTestId('canvas').boundingBox())!;
		const cx = canvas.x + canvas.width / 2;

		// Two steps dragged onto the empty canvas, then wired by dragging from the trigger's output to the exit.
		await dragKind(page, 'trigger', { x: cx, y: canvas.y + 110 });
		await node(page, 'trigger').waitFor();
		await dragKind(page, 'exit', { x: cx, y: canvas.y + 520 });
		await node(page, 'exit').waitFor();
		await drag(
			page,
			await center(node(page, 'trigger').locator('.svelte-flow__handle.source')),
			await center(node(page, 'exit').locator('.svelte-flow__handle.target'))
		);
		await page.locator('.svelte-flow__edge[data-id="e-trigger-exit"] path').first().waitFor({ state: 'attached' });

		// Each message and the offer dropped onto the connection above the exit: inserted between the two steps.
		await dragKind(page, 'sendEmail', await edgeMiddle(page, 'e-trigger-exit'));
		await node(page, 'send-email').waitFor();
		await expect(edgeIds(page)).resolves.toEqual(['e-send-email-exit', 'e-trigger-send-email']);
		await shot(page, '00-inserted');
		await tidyUp(page);
		await dragKind(page, 'sendSms', await edgeMiddle(page, 'e-send-email-exit'));
		await node(page, 'send-sms').waitFor();
		await tidyUp(page);
		await dragKind(page, 'grantOffer', await edgeMiddle(page, 'e-send-sms-exit'));
		await node(page, 'grant-offer').waitFor();
		await expect(edgeIds(page)).resolves.toEqual(['e-grant-offer-exit', 'e-send-email-send-sms', 'e-send-sms-grant-offer', 'e-trigger-send-email']);

		// Tidy up lays the chain out top to bottom.
		await tidyUp(page);
		const ys: number[] = [];
		for (const id of ['trigger', 'send-email', 'send-sms', 'grant-offer', 'exit']) ys.push((await node(page, id).boundingBox())!.y);
		expect([...ys].sort((a, b) => a - b)).toEqual(ys);
		await shot(page, '01-built');
	});

	it('shows problems on the steps, and fixing them through the side panel clears them', async () => {
		// Fresh steps are incomplete on purpose: the trigger has no event, the messages no content.
		await expect(step(page, 'trigger').getAttribute('data-problems')).resolves.not.toBe('0');
		await page.getByTestId('problems-toggle').click();
		const triggerProblem = page.getByTestId('problem').filter({ hasText: 'Trigger' }).first();
		await triggerProblem.click();
		await expect(node(page, 'trigger').getAttribute('class')).resolves.toContain('selected');
		await shot(page, '02-problems');
		await page.getByTestId('problems-toggle').click();

		await panel(page).getByLabel('Event', { exact: true }).fill('builder_signup');
		await expect(step(page, 'trigger').getAttribute('data-problems')).resolves.toBe('0');
		await selectNode(page, 'send-email');
		await panel(page).getByLabel('Subject').fill('Welcome aboard');
		await panel(page).getByLabel('HTML body').fill('<p>Hello {{ customer.firstName }}</p>');
		await panel(page).getByLabel('Plain-text body').fill('Hello');
		await selectNode(page, 'send-sms');
		await panel(page).getByLabel('Message', { exact: true }).fill('Your code: {{ offer.code }}');
		await selectNode(page, 'grant-offer');
		await panel(page).getByLabel('Title').fill('10% off');
		await page.getByTestId('problems-toggle').filter({ hasText: 'Ready to publish' }).waitFor();
		await expect(node(page, 'send-email').getByTestId('step-summary').textContent()).resolves.toContain('Welcome aboard');
		await saved(page);
	});

	it('undoes and redoes with the keyboard', async () => {
		await page.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
		await page.keyboard.press('Control+z'); // the offer's title
		await expect(page.getByTestId('problems-toggle').textContent()).resolves.toMatch(/1 problem/);
		await page.keyboard.press('Control+Shift+z');
		await page.getByTestId('problems-toggle').filter({ hasText: 'Ready to publish' }).waitFor();
		await expect(node(page, 'grant-offer').getByTestId('step-summary').textContent()).resolves.toContain('10%');
		await saved(page);
	});

	it('publishes, and a customer sent in through the ingest API is counted on the canvas', async () => {
		await page.getByTestId('publish-open').click();
		await page.getByTestId('publish-dialog').waitFor();
		await page.getByTestId('publish-confirm').click();
		await page.getByTestId('live-version').filter({ hasText: 'Live: version 1' }).waitFor();

		const response = await fetch(`${suite.product.url}/api/v1/track`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${suite.product.writeKey}:`).toString('base64')}` },
			body: JSON.stringify({ userId: 'builder-ann', event: 'builder_signup', context: { traits: { email: 'ann@example.test', phone: '+33612345678' } } })
		});
		expect(response.status).toBe(200);
		const figures = node(page, 'trigger').getByTestId('step-figures');
		await figures.waitFor({ timeout: 45_000 });
		await expect(figures.textContent()).resolves.toContain('1 entered');
		await shot(page, '03-counted');
	});

	it('shows a visual diff between two versions', async () => {
		await selectNode(page, 'send-email');
		await panel(page).getByLabel('Subject').fill('Welcome aboard, again');
		await saved(page);
		await expect(page.getByTestId('change-summary').textContent()).resolves.toContain('Step: 1 changed');
		await page.getByTestId('publish-open').click();
		await expect(page.getByTestId('publish-changes').textContent()).resolves.toContain('subject');
		await page.getByTestId('publish-confirm').click();
		await page.getByTestId('live-version').filter({ hasText: 'Live: version 2' }).waitFor();

		await gotoHydrated(page, `${suite.product.url}/journeys/${journeyId}/diff?from=1&to=2`);
		await page.locator('.svelte-flow__node').first().waitFor();
		await expect(step(page, 'send-email').getAttribute('data-mark')).resolves.toBe('changed');
		await expect(page.getByTestId('diff-changed').textContent()).resolves.toContain('subject');
		await expect(page.getByTestId('diff-summary').textContent()).resolves.toBe('Step: 1 changed');
		await shot(page, '04-diff');

		await gotoHydrated(page, `${suite.product.url}/journeys/${journeyId}/versions/1`);
		await expect(nodeCount(page)).resolves.toBe(5);
		await expect(page.getByTestId('palette').count()).resolves.toBe(0);
	});

	it('copies a step into another journey through the clipboard', async () => {
		await openJourney(page, journeyId);
		await selectNode(page, 'send-sms');
		await page.keyboard.press('Control+c');
		await openJourney(page, otherId);
		await expect(nodeCount(page)).resolves.toBe(2);
		await page.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
		await page.keyboard.press('Control+v');
		await node(page, 'send-sms').waitFor();
		await expect(node(page, 'send-sms').getByTestId('step-summary').textContent()).resolves.toContain('Your code');
		await saved(page);
	});

	it('adds a step with the keyboard alone', async () => {
		// Tab to the trigger, select it with Enter, then back to the palette's Wait and press Enter.
		const activeIs = (selector: string) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
		await page.locator('body').focus();
		for (let i = 0; i < 80 && !(await activeIs('.svelte-flow__node[data-id="trigger"]')); i++) await page.keyboard.press('Tab');
		await page.keyboard.press('Enter');
		await expect(node(page, 'trigger').getAttribute('class')).resolves.toContain('selected');
		for (let i = 0; i < 80 && !(await activeIs('[data-testid="palette"] [data-kind="wait"]')); i++) await page.keyboard.press('Shift+Tab');
		await page.keyboard.press('Enter');
		await node(page, 'wait').waitFor();
		const ids = await edgeIds(page);
		expect(ids).toContain('e-trigger-wait');
		expect(ids).toContain('e-wait-exit');
		await panel(page).getByTestId('node-panel').waitFor();
		await saved(page);
		await shot(page, '05-keyboard');
	});

	it('tells the second of two tabs editing one draft that it changed elsewhere, and loses nothing', async () => {
		const second = await suite.signedIn('marketer', `/journeys/${otherId}`, await suite.browser.newContext({ viewport: { width: 1280, height: 900 } }));
		await second.locator('[data-testid="canvas"] .svelte-flow').waitFor();
		// The first tab saves a change; the second, still on the older revision, then saves its own.
		await selectNode(page, 'wait');
		await panel(page).getByLabel('Name', { exact: true }).fill('Pause a bit');
		await saved(page);
		const canvas = (await second.getByTestId('canvas').boundingBox())!;
		await dragKind(second, 'webhook', { x: canvas.x + 120, y: canvas.y + canvas.height - 120 });
		await node(second, 'webhook').waitFor();
		await second.getByTestId('save-problem').filter({ hasText: 'changed in another tab' }).waitFor();
		await expect(second.getByTestId('save-state').textContent()).resolves.toContain('Changed in another tab');
		await expect(node(second, 'webhook').count()).resolves.toBe(1);
		await shot(second, '06-conflict');
		// Keeping theirs over: reload brings the first tab's change.
		await second.getByRole('button', { name: 'Reload (discard my changes)' }).click();
		await saved(second);
		await expect(node(second, 'wait').getByTestId('step-label').textContent()).resolves.toBe('Pause a bit');
		await expect(node(second, 'webhook').count()).resolves.toBe(0);
		await second.context().close();
	});
});
