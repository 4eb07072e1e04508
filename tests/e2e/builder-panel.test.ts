import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { journeys } from '../../core/db/schema/journeys';
import { stores } from '../../core/db/schema/stock';
import { messages } from '../../core/db/schema/messages';
import { createJourney } from '../../core/journeys/index';
import { browserSuite, gotoHydrated } from '../helpers/browser';
import { addCustomer } from '../core/journeys/fixtures';

/** Screenshots kept as test artifacts (gitignored). */
const ARTIFACTS = resolve(import.meta.dirname, '../artifacts/builder-panel');
mkdirSync(ARTIFACTS, { recursive: true });

const DEFINITION = {
	schemaVersion: 1,
	nodes: [
		{ id: 'start', type: 'trigger', label: 'Cart updated', entry: { kind: 'event', event: 'cart_updated' } },
		{ id: 'text', type: 'sendSms', label: 'Reminder', body: '' },
		{ id: 'call', type: 'storeTask', label: 'Call', title: 'Call them', instructions: '', store: { kind: 'preferred' } },
		{ id: 'pause', type: 'wait', label: 'Pause', mode: 'duration', duration: { amount: 1, unit: 'days' } },
		{ id: 'end', type: 'exit' }
	],
	edges: [
		{ id: 'e1', source: 'start', target: 'text' },
		{ id: 'e2', source: 'text', target: 'call' },
		{ id: 'e3', source: 'call', target: 'pause' },
		{ id: 'e4', source: 'pause', target: 'end' }
	],
	settings: { reentry: { mode: 'never' }, exitCriteria: [] }
};

describe('builder side panel', () => {
	const suite = browserSuite();
	let page: Page;
	let journeyId: string;

	const panel = () => page.getByTestId('side-panel');
	const select = (id: string) => page.locator(`.svelte-flow__node[data-id="${id}"]`).click();
	/** The stored draft; poll it (`expect.poll`) since autosave is debounced. */
	async function savedDraft(): Promise<{ nodes: Record<string, unknown>[]; settings: Record<string, unknown> }> {
		const [row] = await suite.product.db.db.select({ draft: journeys.draft }).from(journeys).where(eq(journeys.id, journeyId));
		return row!.draft as { nodes: Record<string, unknown>[]; settings: Record<string, unknown> };
	}

	beforeAll(async () => {
		// A store opened after the seed: the pickers list the stores the database has, not a list built into the app.
		await suite.product.db.db
			.insert(stores)
			.values({ id: 'nantes-01', name: 'Nantes Graslin', city: 'Nantes', country: 'FR', timeZone: 'Europe/Paris', position: 9 });
		await addCustomer(suite.product.db, 'ann', [{ kind: 'phone', value: '+33612345678' }], { traits: { first_name: 'Ann' } });
		journeyId = (await createJourney(suite.product.db.db, { name: 'Cart reminder', definition: DEFINITION })).journey.id;
		page = await suite.signedIn('marketer', '/journeys');
		await gotoHydrated(page, `${suite.product.url}/journeys/${journeyId}`);
	});

	it('edits an SMS step through its form: inline errors, length and parts, live preview for a customer, a test send', async () => {
		await select('text');
		const body = panel().getByLabel('Message', { exact: true });
		await body.waitFor();
		await panel().getByText('Has no message text.').waitFor();

		await body.fill('Hi {{ customer.first_name }} 😀 your cart is waiting');
		await expect(panel().getByText('Has no message text.').count()).resolves.toBe(0);
		await panel().getByTestId('sms-count').filter({ hasText: 'UCS-2' }).waitFor();
		// Sample data first, then the chosen customer.
		await panel().getByTestId('preview-sms').filter({ hasText: 'Hi Alex' }).waitFor();
		await panel().getByLabel('Preview for').fill('ann');
		await panel().getByTestId('preview-sms').filter({ hasText: 'Hi Ann 😀 your cart is waiting' }).waitFor();

		// A Liquid mistake shows inline, then goes away once fixed.
		await body.fill('Hi {{ customer.first_name | shout }}');
		await panel().getByTestId('preview-error').filter({ hasText: 'Template error' }).waitFor();
		await body.fill('Hi {{ customer.first_name }}, your cart is waiting');
		await panel().getByTestId('preview-sms').filter({ hasText: 'Hi Ann, your cart is waiting' }).waitFor();
		await panel().getByText('1 part').first().waitFor();
		await page.screenshot({ path: `${ARTIFACTS}/sms-form.png` });

		await panel().getByLabel('Send a test to').fill('+33 6 12 34 56 78');
		await panel().getByRole('button', { name: 'Send test' }).click();
		await panel().getByTestId('test-send-result').filter({ hasText: 'Sent to +33612345678 via outbox' }).waitFor();
		const [sent] = await suite.product.db.db.select().from(messages).where(eq(messages.to, '+33612345678'));
		expect(sent).toMatchObject({ body: '[Test] Hi Ann, your cart is waiting', enrollmentId: null, journeyId: null });

		await expect
			.poll(async () => (await savedDraft()).nodes.find((n) => n.id === 'text'), { timeout: 15_000 })
			.toEqual({ id: 'text', type: 'sendSms', label: 'Reminder', body: 'Hi {{ customer.first_name }}, your cart is waiting' });
	});

	it('edits the trigger and the journey settings with the keyboard-reachable forms', async () => {
		await select('start');
		const event = panel().getByLabel('Event', { exact: true });
		await event.fill('');
		await panel().getByText('Has no event name.').waitFor();
		await event.fill('order_completed');
		await panel().getByRole('button', { name: 'Add filter' }).click();
		await panel().getByLabel('Property of filter 1').fill('total');
		await panel().getByLabel('Comparison of filter 1').selectOption('gt');
		await panel().getByLabel('Value of filter 1').fill('100');
		await expect
			.poll(async () => (await savedDraft()).nodes.find((n) => n.id === 'start'), { timeout: 15_000 })
			.toMatchObject({ entry: { kind: 'event', event: 'order_completed', filters: [{ path: 'total', op: 'gt', value: 100 }] } });

		// Nothing selected: the journey's settings.
		await page.keyboard.press('Escape');
		await page.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
		const settings = page.getByTestId('settings-panel');
		await settings.waitFor();
		await settings.getByLabel('Hold messages at night').check();
		await settings.getByLabel('Default time zone').fill('Europe/Paris');
		await settings.getByRole('button', { name: 'Add exit event' }).click();
		await settings.getByLabel('Exit event 1', { exact: true }).fill('unsubscribed');
		await page.screenshot({ path: `${ARTIFACTS}/settings.png` });
		await expect
			.poll(async () => (await savedDraft()).settings, { timeout: 15_000 })
			.toEqual({
				reentry: { mode: 'never' },
				exitCriteria: [{ event: 'unsubscribed' }],
				quietHours: { start: '21:00', end: '08:00' },
				defaultTimeZone: 'Europe/Paris'
			});
	});

	it('sends a store task to the store the entry event names, with a fallback from the stores in the database', async () => {
		await page.keyboard.press('Escape');
		await select('call');
		const which = panel().getByLabel('Store', { exact: true });
		await expect.poll(() => which.locator('option').allTextContents()).toContain('Nantes Graslin (Nantes)');
		await which.selectOption('event');
		await expect(panel().getByLabel('Event property with the store id').inputValue()).resolves.toBe('store_id');
		await panel().getByLabel('When there is none').selectOption('nantes-01');
		await page.screenshot({ path: `${ARTIFACTS}/store-task.png` });
		await expect
			.poll(async () => (await savedDraft()).nodes.find((n) => n.id === 'call'), { timeout: 15_000 })
			.toMatchObject({ store: { kind: 'event', property: 'store_id', fallbackStoreId: 'nantes-01' } });
		// An empty property name is refused inline.
		await panel().getByLabel('Event property with the store id').fill('');
		await panel().getByText('Has no property.').waitFor();
		await panel().getByLabel('Event property with the store id').fill('store_id');
	});

	it('waits until a time of day, with the zone to use when the customer has none', async () => {
		await page.keyboard.press('Escape');
		await select('pause');
		await panel().getByText('Until a time of day', { exact: true }).click();
		await panel().getByLabel('Time of day', { exact: true }).fill('09:30');
		await panel().getByLabel('Time zone when the customer has none').fill('Europe/Lisbon');
		await panel().getByLabel('Time zone when the customer has none').press('Tab');
		await expect
			.poll(async () => (await savedDraft()).nodes.find((n) => n.id === 'pause'), { timeout: 15_000 })
			.toMatchObject({ mode: 'localTime', time: '09:30', fallbackTimeZone: 'Europe/Lisbon' });
	});
});
