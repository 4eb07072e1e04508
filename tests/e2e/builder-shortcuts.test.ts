import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { journeys } from '../../core/db/schema/journeys';
import { createJourney } from '../../core/journeys/index';
import { browserSuite, gotoHydrated } from '../helpers/browser';

/** Screenshots kept as test artifacts (gitignored). */
const ARTIFACTS = resolve(import.meta.dirname, '../artifacts/builder-shortcuts');
mkdirSync(ARTIFACTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png` });

/** trigger → wait → email → exit, laid out by the canvas on first open. */
const DEFINITION = {
	schemaVersion: 1,
	nodes: [
		{ id: 'start', type: 'trigger', label: 'Signed up', entry: { kind: 'event', event: 'signed_up' } },
		{ id: 'pause', type: 'wait', label: 'Pause', mode: 'duration', duration: { amount: 1, unit: 'days' } },
		{ id: 'mail', type: 'sendEmail', label: 'Welcome', subject: 'Hello', html: '<p>Hi</p>', text: 'Hi' },
		{ id: 'end', type: 'exit' }
	],
	edges: [
		{ id: 'e1', source: 'start', target: 'pause' },
		{ id: 'e2', source: 'pause', target: 'mail' },
		{ id: 'e3', source: 'mail', target: 'end' }
	],
	settings: { reentry: { mode: 'never' }, exitCriteria: [] }
};

const node = (page: Page, id: string) => page.locator(`.svelte-flow__node[data-id="${id}"]`);
const nodeIds = (page: Page) => page.locator('.svelte-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!).sort());
const edgeIds = (page: Page) => page.locator('.svelte-flow__edge').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!).sort());
/** A node's place on the canvas, in flow units (xyflow draws it as `translate(xpx, ypx)`). */
async function position(l: Locator): Promise<{ x: number; y: number }> {
	const t = await l.evaluate((el) => (el as HTMLElement).style.transform);
	const [, x, y] = /translate\((-?[\d.]+)px, (-?[\d.]+)px\)/.exec(t)!;
	return { x: Number(x), y: Number(y) };
}
const viewportTransform = (page: Page) => page.locator('.svelte-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);

describe('builder shortcuts, box selection, the "+" menu, the saved viewport and the archive', () => {
	const suite = browserSuite();
	let page: Page;
	let journeyId: string;

	/** The stored layout and draft; poll them (`expect.poll`): autosave is debounced. */
	async function stored() {
		const [row] = await suite.product.db.db.select({ layout: journeys.layout, draft: journeys.draft }).from(journeys).where(eq(journeys.id, journeyId));
		return row as {
			layout: { nodes: Record<string, { x: number; y: number }>; viewport?: { x: number; y: number; zoom: number } };
			draft: { nodes: { id: string }[] };
		};
	}

	async function open() {
		await gotoHydrated(page, `${suite.product.url}/journeys/${journeyId}`);
		await node(page, 'start').waitFor();
	}

	async function select(id: string) {
		await node(page, id).locator('[data-testid="step-label"]').click();
		await page.getByTestId('side-panel').getByTestId('node-panel').waitFor();
	}

	beforeAll(async () => {
		journeyId = (await createJourney(suite.product.db.db, { name: 'Shortcuts', definition: DEFINITION })).journey.id;
		page = await suite.signedIn('marketer', '/journeys');
		await page.setViewportSize({ width: 1280, height: 900 });
		await open();
	});

	it('lists the shortcuts on "?" and from the toolbar', async () => {
		await page.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
		await page.keyboard.press('?');
		const dialog = page.getByTestId('shortcuts');
		await dialog.waitFor();
		await expect(dialog.textContent()).resolves.toContain('Ctrl + D');
		await expect(dialog.textContent()).resolves.toContain('Shift + drag');
		await shot(page, '01-shortcuts');
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'detached' });
		await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
		await dialog.waitFor();
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'detached' });
	});

	it('nudges the selected step with the arrow keys (Shift: further), saves it, and undoes it', async () => {
		await select('pause');
		const before = await position(node(page, 'pause'));
		await page.keyboard.press('ArrowRight');
		await page.keyboard.press('Shift+ArrowDown');
		await expect.poll(() => position(node(page, 'pause'))).toEqual({ x: before.x + 8, y: before.y + 40 });
		await expect.poll(async () => (await stored()).layout.nodes.pause).toEqual({ x: before.x + 8, y: before.y + 40 });
		// One undo step per burst of nudges.
		await page.keyboard.press('Control+z');
		await expect.poll(() => position(node(page, 'pause'))).toEqual(before);
	});

	it('duplicates the selected step with Ctrl+D, and the "+" on its free output adds a connected step', async () => {
		await select('mail');
		await page.keyboard.press('Control+d');
		await node(page, 'mail-2').waitFor();
		await expect(node(page, 'mail-2').getByTestId('step-label').textContent()).resolves.toBe('Welcome');
		await expect(node(page, 'mail-2').getAttribute('class')).resolves.toContain('selected');
		// Beside the original (the copy is selected; it was pasted 40 right and 40 down), then its output's "+" opens
		// the add menu.
		for (let i = 0; i < 7; i++) await page.keyboard.press('Shift+ArrowRight');
		await page.keyboard.press('Shift+ArrowUp');
		await node(page, 'mail-2').getByTestId('add-after').click();
		const menu = page.getByTestId('add-menu');
		await menu.waitFor();
		await shot(page, '02-add-menu');
		await menu.locator('[data-kind="sendSms"]').click();
		await node(page, 'send-sms').waitFor();
		await expect(edgeIds(page)).resolves.toContain('e-mail-2-send-sms');
		await expect(menu.count()).resolves.toBe(0);
		// The new step is selected, its form open; the copy's output is wired now, so its "+" is gone.
		await expect(page.getByTestId('node-panel').textContent()).resolves.toContain('SMS');
		await expect(node(page, 'mail-2').getByTestId('add-after').count()).resolves.toBe(0);
		await expect.poll(async () => (await stored()).draft.nodes.map((n) => n.id)).toContain('send-sms');
	});

	it('selects several steps with a Shift-drag box and deletes them together; undo brings them back', async () => {
		// The add menu of the test before sat low on the canvas and the click scrolled the page down to it: back to the
		// top, so the steps are in the window (the mouse only reaches what is on screen).
		await page.evaluate(() => window.scrollTo(0, 0));
		const a = (await node(page, 'pause').boundingBox())!;
		const b = (await node(page, 'mail').boundingBox())!;
		// Around the wait and the email, clear of the email's copy on their right (xyflow selects what the box touches).
		const from = { x: Math.min(a.x, b.x) - 16, y: a.y - 16 };
		const to = { x: Math.max(a.x + a.width, b.x + b.width) + 8, y: b.y + b.height + 12 };
		// The focus leaves the side panel's fields: xyflow ignores keys pressed in a field, Shift included.
		await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
		await page.keyboard.down('Shift');
		await page.mouse.move(from.x, from.y);
		await page.mouse.down();
		await page.mouse.move(to.x, to.y, { steps: 10 });
		await page.mouse.up();
		await page.keyboard.up('Shift');
		for (const id of ['pause', 'mail']) await expect.poll(() => node(page, id).getAttribute('class')).toContain('selected');
		await expect(node(page, 'start').getAttribute('class')).resolves.not.toContain('selected');
		await page.getByTestId('side-panel').getByText('2 steps selected').waitFor();
		await shot(page, '03-box-selected');

		const before = await nodeIds(page);
		await page.keyboard.press('Delete');
		await node(page, 'mail').waitFor({ state: 'detached' });
		await expect(nodeIds(page)).resolves.toEqual(before.filter((id) => id !== 'pause' && id !== 'mail'));
		// Their connections went with them.
		await expect(edgeIds(page)).resolves.not.toContain('e1');
		await expect(edgeIds(page)).resolves.not.toContain('e3');
		await expect.poll(async () => (await stored()).draft.nodes.map((n) => n.id)).not.toContain('pause');

		await page.keyboard.press('Control+z');
		await node(page, 'mail').waitFor();
		await expect(nodeIds(page)).resolves.toEqual(before);
		await expect(edgeIds(page)).resolves.toEqual(expect.arrayContaining(['e1', 'e2', 'e3']));
		await expect.poll(async () => (await stored()).draft.nodes.map((n) => n.id)).toContain('pause');
	});

	it('opens where the view was left: the viewport is saved with the layout and restored on reload', async () => {
		const canvas = (await page.getByTestId('canvas').boundingBox())!;
		const before = await viewportTransform(page);
		const undo = page.getByRole('button', { name: 'Undo' });
		const undoTitle = await undo.getAttribute('title');
		// Pan by dragging the empty canvas, then zoom out one step with the wheel.
		const from = { x: canvas.x + 40, y: canvas.y + canvas.height / 2 };
		await page.mouse.move(from.x, from.y);
		await page.mouse.down();
		await page.mouse.move(from.x + 140, from.y - 90, { steps: 8 });
		await page.mouse.up();
		await page.mouse.move(from.x + 200, from.y);
		await page.mouse.wheel(0, 200);
		await expect.poll(() => viewportTransform(page)).not.toBe(before);
		const [, x, y, zoom] = /translate\((-?[\d.]+)px, (-?[\d.]+)px\) scale\(([\d.]+)\)/.exec(await viewportTransform(page))!.map(Number);
		// The last move is saved (debounced; rounded to whole pixels and thousandths of zoom) ...
		await expect
			.poll(async () => {
				const v = (await stored()).layout.viewport;
				return !!v && Math.abs(v.x - x!) <= 1 && Math.abs(v.y - y!) <= 1 && Math.abs(v.zoom - zoom!) <= 0.001;
			})
			.toBe(true);
		const saved = (await stored()).layout.viewport!;
		// Moving the view is not an edit: the next undo is still the last edit.
		await expect(undo.getAttribute('title')).resolves.toBe(undoTitle);
		// ... and the page opens again there rather than fitting the journey in view.
		await open();
		const reopened = await viewportTransform(page);
		expect(reopened).toBe(`translate(${saved.x}px, ${saved.y}px) scale(${saved.zoom})`);
		expect(reopened).not.toBe(before);
	});

	it('marks an archived journey, keeps its canvas read only, and unarchives it', async () => {
		await page.getByRole('button', { name: 'Archive', exact: true }).click();
		const banner = page.getByTestId('archived-banner');
		await banner.waitFor();
		await expect(banner.textContent()).resolves.toContain('archived');
		await expect(page.getByTestId('read-only').textContent()).resolves.toContain('archived');
		await expect(page.getByTestId('palette').count()).resolves.toBe(0);
		await expect(page.getByTestId('publish-open').count()).resolves.toBe(0);
		await shot(page, '04-archived');
		// Still archived after a reload (it is the journey's state, not the page's).
		await open();
		await banner.waitFor();
		await expect(page.getByTestId('add-after').count()).resolves.toBe(0);

		await banner.getByRole('button', { name: 'Unarchive' }).click();
		await banner.waitFor({ state: 'detached' });
		await page.getByTestId('palette').waitFor();
		await expect(page.getByTestId('save-state').count()).resolves.toBe(1);
		const [row] = await suite.product.db.db.select({ archivedAt: journeys.archivedAt }).from(journeys).where(eq(journeys.id, journeyId));
		expect(row!.archivedAt).toBeNull();
	});
});
