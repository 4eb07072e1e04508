import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createApiKey } from '../../core/auth/accounts';
import { events } from '../../core/db/schema/events';
import { messages } from '../../core/db/schema/messages';
import { dbKinds } from '../helpers/db';
import { startTestProduct, type TestProduct } from '../helpers/product';
import { addCustomer, waitingJourney } from '../core/journeys/fixtures';

type Json = Record<string, unknown> & { error?: { code: string; message: string; details?: unknown } };

const email = {
	id: 'mail',
	type: 'sendEmail',
	label: 'Hello',
	subject: 'Hi {{ customer.first_name }}',
	html: '<p>Your cart: {{ event.properties.cart_id }}</p>',
	text: 'Cart {{ event.properties.cart_id }}'
};
const sms = { id: 'text', type: 'sendSms', body: 'Hi {{ customer.first_name }}, 10% off: {{ offer.code }}' };

describe.each(dbKinds())('builder APIs (catalog, preview, test send) on %s', (kind) => {
	let product: TestProduct;
	let marketer: string;
	let analyst: string;
	let writeKey: string;
	let journeyId: string;

	async function api(method: string, path: string, body?: unknown, as?: string | null): Promise<{ status: number; body: Json; headers: Headers }> {
		const key = as === undefined ? marketer : as;
		const res = await fetch(`${product.url}/api/v1${path}`, {
			method,
			headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
	}

	beforeAll(async () => {
		product = await startTestProduct(kind);
		marketer = (await createApiKey(product.db.db, { name: 'builder', kind: 'secret', role: 'marketer' })).key;
		analyst = (await createApiKey(product.db.db, { name: 'reports', kind: 'secret', role: 'analyst' })).key;
		writeKey = (await createApiKey(product.db.db, { name: 'site', kind: 'write', role: 'marketer' })).key;
		await addCustomer(
			product.db,
			'ann',
			[
				{ kind: 'email', value: 'ann@example.test' },
				{ kind: 'phone', value: '+33612345678' }
			],
			{ traits: { first_name: 'Ann', plan: 'gold', address: { city: 'Lyon' } } }
		);
		await addCustomer(product.db, 'nomail', [], { traits: { first_name: 'Noé' } });
		const created = await api('POST', '/journeys', { name: 'Cart', definition: waitingJourney() });
		journeyId = (created.body.journey as { id: string }).id;
		// Events through the real ingest API, as a site would send them.
		for (const [i, props] of [
			{ cart_id: 'c1', total: 10, items: [{ sku: 'A' }] },
			{ cart_id: 'c2', total: 30, coupon: 'X' }
		].entries()) {
			const res = await fetch(`${product.url}/api/v1/track`, {
				method: 'POST',
				headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({ userId: `u${i}`, event: 'cart_updated', properties: props, messageId: `m-${i}` })
			});
			expect(res.status).toBeLessThan(300);
		}
		await fetch(`${product.url}/api/v1/track`, {
			method: 'POST',
			headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ userId: 'u0', event: 'order_completed', properties: { order_id: 'o1' }, messageId: 'm-9' })
		});
		// Ingest accepts first; the worker's processor writes the events a moment later.
		// (expect.poll is for tests, not hooks: poll by hand.)
		const until = Date.now() + 15_000;
		while ((await product.db.db.$count(events, sql`${events.messageId} in ('m-0', 'm-1', 'm-9')`)) < 3) {
			if (Date.now() > until) throw new Error('the processor did not store the seeded events within 15 s');
			await new Promise((r) => setTimeout(r, 100));
		}
	});
	afterAll(async () => product?.stop());

	it('lists the events ingest has seen, most used first, filtered by a substring, with their property paths', async () => {
		const all = await api('GET', '/catalog/events', undefined, analyst);
		expect(all.status).toBe(200);
		const events = all.body.events as { name: string; count: number; lastSeen: string }[];
		expect(events.map((e) => [e.name, e.count])).toEqual([
			['cart_updated', 2],
			['order_completed', 1]
		]);
		expect(Date.parse(events[0]!.lastSeen)).toBeGreaterThan(Date.now() - 3_600_000);
		expect((await api('GET', '/catalog/events?q=ORDER')).body.events).toMatchObject([{ name: 'order_completed' }]);
		expect((await api('GET', '/catalog/events?q=%25')).body.events).toEqual([]);
		expect((await api('GET', '/catalog/events?limit=0')).status).toBe(400);

		const props = await api('GET', '/catalog/events/cart_updated/properties');
		expect(props.body.paths).toEqual(['cart_id', 'total', 'coupon', 'items', 'items.0', 'items.0.sku']);
		expect((await api('GET', '/catalog/events/never_seen/properties')).body).toEqual({ paths: [] });
		expect((await api('GET', '/catalog/traits')).body.paths).toEqual(expect.arrayContaining(['first_name', 'plan', 'address.city']));

		expect((await api('GET', '/catalog/events', undefined, null)).status).toBe(401);
		expect((await api('GET', '/catalog/events', undefined, writeKey)).status).toBe(403);
	});

	it('previews a step for a customer or with sample data, and answers template and customer problems as 4xx', async () => {
		const entryEvent = { name: 'cart_updated', properties: { cart_id: 'c9' } };
		const forAnn = await api('POST', `/journeys/${journeyId}/preview`, { node: email, customerId: 'ann', entryEvent }, analyst);
		expect(forAnn.status).toBe(200);
		expect(forAnn.body.preview).toMatchObject({ channel: 'email', customerId: 'ann', to: 'ann@example.test', subject: 'Hi Ann', sms: null });
		const preview = forAnn.body.preview as { html: string; text: string };
		expect(preview.html).toContain('<p>Your cart: c9</p>');
		expect(preview.html).toContain('Unsubscribe'); // exactly what would be sent, footer included
		expect(preview.text).toContain('Cart c9');

		const sample = await api('POST', `/journeys/${journeyId}/preview`, { node: sms });
		expect(sample.body.preview).toMatchObject({
			channel: 'sms',
			customerId: null,
			to: null,
			text: 'Hi Alex, 10% off: SAMPLE-10',
			sms: { encoding: 'GSM-7', segments: 1 }
		});
		const long = await api('POST', `/journeys/${journeyId}/preview`, { node: { ...sms, body: `😀 ${'x'.repeat(80)}` } });
		expect(long.body.preview).toMatchObject({ sms: { encoding: 'UCS-2', segments: 2 } });

		const broken = await api('POST', `/journeys/${journeyId}/preview`, { node: { ...sms, body: 'Hi {{ customer.first_name | nope }}' }, customerId: 'ann' });
		expect(broken.status).toBe(422);
		expect(broken.body.error).toMatchObject({ code: 'template_error' });
		expect(broken.body.error!.message).toMatch(/^Template error: .*nope/);
		expect((await api('POST', `/journeys/${journeyId}/preview`, { node: { ...sms, body: '{% if %}' } })).body.error?.code).toBe('template_error');
		expect((await api('POST', `/journeys/${journeyId}/preview`, { node: email, customerId: 'nomail' })).body.error?.code).toBe('no_address');
		expect((await api('POST', `/journeys/${journeyId}/preview`, { node: email, customerId: 'ghost' })).status).toBe(404);
		const invalid = await api('POST', `/journeys/${journeyId}/preview`, { node: { id: 'w', type: 'wait' } });
		expect(invalid).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
		expect((await api('POST', `/journeys/nope/preview`, { node: sms })).body.error?.code).toBe('not_found');
		expect((await api('POST', `/journeys/${journeyId}/preview`, { node: sms }, null)).status).toBe(401);
	});

	it('sends a test marked as such, stored for the outbox, outside every journey figure, and rate-limited', async () => {
		expect((await api('POST', `/journeys/${journeyId}/test-send`, { node: email, to: 'me@example.test', customerId: 'ann' }, analyst)).status).toBe(403);

		const sent = await api('POST', `/journeys/${journeyId}/test-send`, {
			node: email,
			to: 'Me@Example.test',
			customerId: 'ann',
			entryEvent: { properties: { cart_id: 'c1' } }
		});
		expect(sent.status).toBe(200);
		expect(sent.body.test).toMatchObject({ channel: 'email', provider: 'outbox', to: 'me@example.test', status: 'sent', subject: '[Test] Hi Ann' });
		const [row] = await product.db.db
			.select()
			.from(messages)
			.where(eq(messages.id, (sent.body.test as { messageId: string }).messageId));
		expect(row).toMatchObject({
			to: 'me@example.test',
			subject: '[Test] Hi Ann',
			customerId: 'ann',
			journeyId: null,
			enrollmentId: null,
			nodeId: null,
			status: 'sent'
		});
		expect(row!.meta).toMatchObject({ test: true, journeyId, nodeId: 'mail', requestedBy: expect.stringMatching(/^key:/) });
		expect(row!.idempotencyKey).toMatch(/^test:/);
		expect(row!.body).not.toContain('Unsubscribe'); // a test must not carry the customer's unsubscribe link

		// Without a customer: the one who owns the number fills the message.
		const text = await api('POST', `/journeys/${journeyId}/test-send`, { node: sms, to: '+33 6 12 34 56 78' });
		expect(text.body.test).toMatchObject({ channel: 'sms', to: '+33612345678', subject: null });
		const [smsRow] = await product.db.db
			.select()
			.from(messages)
			.where(eq(messages.id, (text.body.test as { messageId: string }).messageId));
		expect(smsRow!.body).toBe('[Test] Hi Ann, 10% off: ');
		expect(smsRow!.meta).toMatchObject({ test: true, segments: 1, encoding: 'GSM-7' });

		// Nobody chosen, nobody with this number: the sample customer fills it in.
		const sampled = await api('POST', `/journeys/${journeyId}/test-send`, { node: sms, to: '+33 6 99 99 99 99' });
		expect(sampled.body.test).toMatchObject({ channel: 'sms', to: '+33699999999' });
		const [sampleRow] = await product.db.db
			.select()
			.from(messages)
			.where(eq(messages.id, (sampled.body.test as { messageId: string }).messageId));
		expect(sampleRow).toMatchObject({ customerId: 'sample-customer', body: '[Test] Hi Alex, 10% off: ' });
		expect((await api('POST', `/journeys/${journeyId}/test-send`, { node: email, to: 'not an address', customerId: 'ann' })).body.error?.code).toBe(
			'invalid_address'
		);
		expect(
			(await api('POST', `/journeys/${journeyId}/test-send`, { node: { ...email, subject: '{{ x | nope }}' }, to: 'me@example.test', customerId: 'ann' }))
				.status
		).toBe(422);
		expect((await api('POST', `/journeys/${journeyId}/test-send`, { node: email, customerId: 'ann' })).body.error).toMatchObject({
			code: 'invalid_request',
			details: [{ path: 'to' }]
		});

		// 3 sent so far by this key; the 11th in ten minutes is refused.
		for (let i = 0; i < 7; i++) expect((await api('POST', `/journeys/${journeyId}/test-send`, { node: sms, to: '+33612345678' })).status).toBe(200);
		const limited = await api('POST', `/journeys/${journeyId}/test-send`, { node: sms, to: '+33612345678' });
		expect(limited).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
		expect(limited.headers.get('retry-after')).toBe('600');
		const [tests] = await product.db.db
			.select({ n: sql<number>`count(*)::int` })
			.from(messages)
			.where(sql`${messages.meta}->>'test' = 'true'`);
		expect(tests!.n).toBe(10);
	});
});
