import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { customers, identities } from '../../core/db/schema/customers';
import { journeys } from '../../core/db/schema/journeys';
import { messages } from '../../core/db/schema/messages';
import { pushSubscriptions } from '../../core/db/schema/push';
import { createJourney } from '../../core/journeys/index';
import { addCustomer } from '../core/journeys/fixtures';
import { browserSuite, gotoHydrated } from '../helpers/browser';

const DEFINITION = {
	schemaVersion: 1,
	nodes: [
		{ id: 'start', type: 'trigger', label: 'Back in stock', entry: { kind: 'event', event: 'back_in_stock' } },
		{ id: 'wa', type: 'sendWhatsApp', label: 'WhatsApp', body: '' },
		{ id: 'end', type: 'exit' }
	],
	edges: [
		{ id: 'e1', source: 'start', target: 'wa' },
		{ id: 'e2', source: 'wa', target: 'end' }
	],
	settings: { reentry: { mode: 'never' }, exitCriteria: [] }
};

/** The WhatsApp and web push steps in the builder, and the shop's notification opt-in, in headless Chromium. */
describe('WhatsApp and web push in the builder and the shop', () => {
	const suite = browserSuite();
	let page: Page;
	let journeyId: string;
	const panel = () => page.getByTestId('side-panel');
	const select = (id: string) => page.locator(`.svelte-flow__node[data-id="${id}"]`).click();
	async function savedDraft() {
		const [row] = await suite.product.db.db.select({ draft: journeys.draft }).from(journeys).where(eq(journeys.id, journeyId));
		return row!.draft as { nodes: Record<string, unknown>[] };
	}

	beforeAll(async () => {
		await addCustomer(suite.product.db, 'wen', [{ kind: 'phone', value: '+33611223344' }], { traits: { first_name: 'Wen' } });
		journeyId = (await createJourney(suite.product.db.db, { name: 'Back in stock', definition: DEFINITION })).journey.id;
		page = await suite.signedIn('marketer', '/journeys');
		await gotoHydrated(page, `${suite.product.url}/journeys/${journeyId}`);
	});

	it('edits a WhatsApp step: the 24-hour rule explained, free-text and template previews', async () => {
		await select('wa');
		await panel().getByTestId('whatsapp-window-help').filter({ hasText: '24 hours' }).waitFor();
		await panel().getByLabel('Message (inside the 24-hour window)').fill('Hi {{ customer.first_name }}, your size is back');
		await panel().getByTestId('preview-whatsapp').filter({ hasText: 'Hi Alex, your size is back' }).waitFor();

		// Wen never wrote: outside the window, and without a template the preview says the step would skip her.
		await panel().getByLabel('Preview for').fill('wen');
		await panel().getByTestId('preview-whatsapp-closed').filter({ hasText: 'would be skipped' }).waitFor();

		await panel().getByLabel('Use an approved template outside the window').check();
		await panel()
			.getByLabel('Template (Content SID)')
			.fill(`HX${'ab'.repeat(16)}`);
		await panel().getByRole('button', { name: 'Add variable' }).click();
		await panel().getByLabel('Variable 1 value').fill('{{ customer.first_name }}');
		await panel()
			.getByTestId('preview-whatsapp')
			.filter({ hasText: `Template HX${'ab'.repeat(16)}` })
			.filter({ hasText: 'Wen' })
			.waitFor();
		await expect
			.poll(async () => (await savedDraft()).nodes.find((n) => n.id === 'wa'), { timeout: 15_000 })
			.toEqual({
				id: 'wa',
				type: 'sendWhatsApp',
				label: 'WhatsApp',
				body: 'Hi {{ customer.first_name }}, your size is back',
				template: { contentSid: `HX${'ab'.repeat(16)}`, variables: { '1': '{{ customer.first_name }}' } }
			});
	});

	it('adds a web push step from the palette and previews it', async () => {
		await select('wa');
		await page.locator('[data-testid="palette"] [data-kind="sendPush"]').click();
		await panel().getByLabel('Title').waitFor();
		await panel().getByLabel('Title').fill('Back in stock, {{ customer.first_name }}');
		await panel().getByLabel('Text').fill('Your size is waiting');
		await panel().getByLabel('Opens').fill('/shop/cart');
		await panel().getByTestId('preview-push-title').filter({ hasText: 'Back in stock, Alex' }).waitFor();
		await panel().getByTestId('preview-push').filter({ hasText: '/shop/cart' }).waitFor();
		await expect
			.poll(async () => (await savedDraft()).nodes.find((n) => n.type === 'sendPush'), { timeout: 15_000 })
			.toMatchObject({ type: 'sendPush', title: 'Back in stock, {{ customer.first_name }}', body: 'Your size is waiting', url: '/shop/cart' });
	});

	it('registers the shop’s service worker under the CSP, and the subscription endpoint accepts and refuses with clear errors', async () => {
		const shop = await suite.browser.newPage();
		await gotoHydrated(shop, `${suite.product.url}/shop`);
		await shop.locator('[data-testid="push-opt-in"][data-worker="registered"]').waitFor();
		const scope = await shop.evaluate(async () => (await navigator.serviceWorker.getRegistration('/shop/'))?.scope ?? null);
		expect(scope).toBe(`${suite.product.url}/shop/`);

		const post = (body: unknown) =>
			shop.evaluate(async (b) => {
				const res = await fetch('/shop/push/subscription', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
				return { status: res.status, body: (await res.json()) as Record<string, unknown> };
			}, body);
		const keys = { p256dh: `B${'A'.repeat(86)}`, auth: 'AAAAAAAAAAAAAAAAAAAAAA' };
		const endpoint = 'https://fcm.googleapis.com/fcm/send/e2e-device-1';

		const internal = await post({ endpoint: 'http://127.0.0.1:5432/', keys });
		expect(internal).toMatchObject({ status: 422, body: { error: { code: 'unsupported_endpoint' } } });
		const malformed = await post({ endpoint, keys: { p256dh: 'short' } });
		expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
		expect(await post({ endpoint, keys })).toEqual({ status: 201, body: { subscribed: true, devices: 1 } });

		const [row] = await suite.product.db.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint));
		const [customer] = await suite.product.db.db.select().from(customers).where(eq(customers.id, row!.customerId));
		expect(customer!.consent.push).toMatchObject({ granted: true, source: 'shop_opt_in' });
		const anon = await suite.product.db.db.select().from(identities).where(eq(identities.customerId, row!.customerId));
		expect(anon.map((i) => i.kind)).toContain('anonymousId');

		// The customer page shows the browser and the consent; the outbox says in words why a WhatsApp step skipped.
		await suite.product.db.db.insert(messages).values({
			id: 'm-wa-skipped',
			idempotencyKey: 'e2e:wa-skipped',
			channel: 'whatsapp',
			provider: 'outbox',
			customerId: row!.customerId,
			to: 'whatsapp:+33611223344',
			body: 'Hi',
			status: 'skipped',
			error: 'outside_24h_window'
		});
		const staff = await suite.signedIn('admin', `/customers/${row!.customerId}`);
		await staff.getByTestId('push-devices').filter({ hasText: 'Web push on in 1 browser' }).waitFor();
		await staff.locator('[data-testid="consent"] tr[data-channel="push"]').filter({ hasText: 'Granted' }).waitFor();
		await gotoHydrated(staff, `${suite.product.url}/outbox?channel=whatsapp`);
		const skipped = staff.locator('[data-testid="message-row"][data-channel="whatsapp"]');
		await skipped.getByTestId('message-error').filter({ hasText: 'has not written on WhatsApp in the last 24 hours' }).waitFor();
		await staff.close();

		const removed = await shop.evaluate(async (e) => {
			const res = await fetch('/shop/push/subscription', {
				method: 'DELETE',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ endpoint: e })
			});
			return (await res.json()) as unknown;
		}, endpoint);
		expect(removed).toEqual({ removed: true, devices: 0 });
		const [after] = await suite.product.db.db.select().from(customers).where(eq(customers.id, row!.customerId));
		expect(after!.consent.push).toMatchObject({ granted: false, source: 'shop_opt_out' });
		await shop.close();
	});

	it('says in words when this browser cannot subscribe (headless Chromium has no push service)', async () => {
		const context = await suite.browser.newContext();
		await context.grantPermissions(['notifications'], { origin: suite.product.url });
		const shop = await context.newPage();
		await gotoHydrated(shop, `${suite.product.url}/shop`);
		const optIn = shop.locator('[data-testid="push-opt-in"][data-worker="registered"]');
		await optIn.waitFor();
		await optIn.getByRole('button', { name: 'Turn on notifications' }).click();
		// Chromium either refuses at once or never answers; the control gives up after 10 s either way.
		await shop.getByTestId('push-opt-in-message').filter({ hasText: 'This browser could not turn notifications on' }).waitFor({ timeout: 30_000 });
		expect(await shop.getByTestId('push-opt-in').getAttribute('data-state')).toBe('off');
		await context.close();
	});
});
