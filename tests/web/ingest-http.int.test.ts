import { Analytics } from '@segment/analytics-node';
import { eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { notes } from '../../core/db/schema/customers';
import { events } from '../../core/db/schema/events';
import { customerLookup } from '../../core/identity/index';
import { ingestMessages } from '../../core/ingest/index';
import { dbKinds } from '../helpers/db';
import { startTestProduct, type TestProduct } from '../helpers/product';

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

async function until<T>(probe: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > end) throw new Error('condition not met in time');
		await new Promise((r) => setTimeout(r, 100));
	}
}

for (const kind of dbKinds()) {
	describe(`the built app over HTTP (${kind})`, () => {
		let app: TestProduct;
		beforeAll(async () => {
			app = await startTestProduct(kind);
		});
		afterAll(async () => {
			await app?.stop();
		});

		it("Segment's analytics-node client delivers every call to one profile, and the router gets the events", async () => {
			const analytics = new Analytics({ writeKey: app.writeKey, host: app.url, path: '/api/v1/batch', flushAt: 50, maxRetries: 0 });
			const failures: unknown[] = [];
			analytics.on('error', (err) => failures.push(err));
			analytics.identify({ anonymousId: 'web-1', traits: { email: 'Node@Example.com', name: 'Node' } });
			analytics.page({ anonymousId: 'web-1', name: 'Home', properties: { url: 'https://shop.test/?gclid=G-node' } });
			analytics.track({ anonymousId: 'web-1', event: 'Order Completed', properties: { total: 12.5 } });
			analytics.screen({ userId: 'u-node', name: 'Cart' });
			analytics.alias({ userId: 'u-node', previousId: 'web-1' });
			await analytics.closeAndFlush({ timeout: 20_000 });
			expect(failures).toEqual([]);

			// Accepted, then processed by the worker's inbox processor.
			await until(async () => (await app.db.db.$count(events)) === 5);
			const person = await customerLookup(app.db.db, { email: 'node@example.com' });
			expect(person).toMatchObject({ ordersCount: 1, lifetimeValue: '12.50', traits: { name: 'Node' } });
			expect((await customerLookup(app.db.db, { userId: 'u-node' }))?.id).toBe(person!.id);
			// The processor routed each batch after its commit: the router marks what it has routed.
			await until(async () => (await app.db.db.$count(events, isNotNull(events.routedAt))) === 5);
		});

		it('answers the documented errors (401, 400 with paths, 413), dedupes retries, and allows CORS', async () => {
			const post = (path: string, body: string, key = app.writeKey) =>
				fetch(`${app.url}/api/v1/${path}`, { method: 'POST', headers: { authorization: basic(key), 'content-type': 'application/json' }, body });
			const unauthorized = await post('track', JSON.stringify({ userId: 'u', event: 'x' }), 'oc_write_wrong');
			expect(unauthorized.status).toBe(401);
			expect(await unauthorized.json()).toMatchObject({ error: { code: 'unauthorized' } });

			const invalid = await post('track', JSON.stringify({ userId: 'u' }));
			expect(invalid.status).toBe(400);
			expect(await invalid.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ path: 'event' }] } });
			expect((await post('track', '{oops')).status).toBe(400);

			const retry = JSON.stringify({ userId: 'u', event: 'x', messageId: 'http-retry' });
			const first = (await (await post('track', retry)).json()) as { accepted: { eventId: string; duplicate: boolean }[] };
			const again = (await (await post('track', retry)).json()) as { accepted: { eventId: string; duplicate: boolean }[] };
			expect(again.accepted[0]).toEqual({ ...first.accepted[0], duplicate: true });

			const preflight = await fetch(`${app.url}/api/v1/batch`, {
				method: 'OPTIONS',
				headers: { origin: 'https://shop.test', 'access-control-request-method': 'POST' }
			});
			expect(preflight.status).toBe(204);
			expect(preflight.headers.get('access-control-allow-origin')).toBe('*');

			// Between our 500 KB limit and adapter-node's 512 KiB: our JSON 413.
			const big = await post('track', JSON.stringify({ userId: 'u', event: 'x', properties: { pad: 'x'.repeat(505 * 1024) } }));
			expect(big.status).toBe(413);
			expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large' } });
			// Over the server's own 512 KiB limit too: still our JSON 413, not a 400 "bad gzip?".
			const bigger = await post('track', JSON.stringify({ userId: 'u', event: 'x', properties: { pad: 'x'.repeat(600 * 1024) } }));
			expect(bigger.status).toBe(413);
			expect(await bigger.json()).toMatchObject({ error: { code: 'payload_too_large' } });
		});

		it('serves the customers API to secret keys that may list customers, one customer to those that may read one, nothing to write keys', async () => {
			await ingestMessages(app.db.db, [
				{
					type: 'identify',
					messageId: 'api-1',
					userId: 'api-u',
					traits: { email: 'api@example.com', phone: '+1 415 555 0142' },
					timestamp: '2025-03-01T10:00:00Z'
				},
				{ type: 'track', messageId: 'api-2', userId: 'api-u', event: 'product_viewed', timestamp: '2025-03-01T10:05:00Z' }
			]);
			const secret = await createApiKey(app.db.db, { name: 'crm sync', kind: 'secret', role: 'marketer' });
			const analyst = await createApiKey(app.db.db, { name: 'analyst', kind: 'secret', role: 'analyst' });
			const get = (path: string, key: string) => fetch(`${app.url}/api/v1/${path}`, { headers: { authorization: `Bearer ${key}` } });
			expect((await get('customers', app.writeKey)).status).toBe(403);
			// Least privilege: an analyst may open one customer but not list or search everyone.
			expect((await get('customers?query=555-0142', analyst.key)).status).toBe(403);
			expect((await fetch(`${app.url}/api/v1/customers`)).status).toBe(401);

			const list = (await (await get('customers?query=555-0142', secret.key)).json()) as { customers: { id: string; email: string }[]; total: number };
			expect(list.total).toBe(1);
			expect(list.customers[0]!.email).toBe('api@example.com');
			const detail = (await (await get(`customers/${list.customers[0]!.id}`, secret.key)).json()) as {
				identities: unknown[];
				timeline: { kind: string; title: string }[];
			};
			expect(detail.identities).toHaveLength(3);
			expect((await get(`customers/${list.customers[0]!.id}`, analyst.key)).status).toBe(200);
			expect(detail.timeline.map((t) => t.title)).toEqual(['product_viewed', 'Identified (email, phone)']);
			expect((await get('customers/nobody', secret.key)).status).toBe(404);
			expect((await get('customers?page=0', secret.key)).status).toBe(400);
		});

		it('renders the customer pages; the note form refuses an empty note inline and saves a real one', async () => {
			const r = await ingestMessages(app.db.db, [{ type: 'identify', messageId: 'ui-1', userId: 'ui-u', traits: { email: 'ui@example.com', name: 'Grace' } }]);
			const id = r.accepted[0]!.customerId;
			const list = await fetch(`${app.url}/customers?query=ui@example.com`, { headers: { cookie: await app.sessionCookie('marketer') } });
			expect(list.status).toBe(200);
			expect(await list.text()).toContain('Grace');
			// A store associate opens the customer in front of them, but may not browse everyone.
			const cookie = await app.sessionCookie('store');
			expect((await fetch(`${app.url}/customers?query=ui@example.com`, { headers: { cookie } })).status).toBe(403);
			const page = await fetch(`${app.url}/customers/${id}`, { headers: { cookie } });
			expect(page.status).toBe(200);
			const html = await page.text();
			expect(html).toContain('ui@example.com');
			expect(html).not.toContain('Undo merge');

			const note = (body: string) =>
				fetch(`${app.url}/customers/${id}?/note`, {
					method: 'POST',
					headers: { cookie, origin: app.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({ body }).toString(),
					redirect: 'manual'
				});
			// As a browser without JavaScript posts the form (accept: text/html), so the answer is the page itself.
			const empty = await note('   ');
			expect(empty.status).toBe(400);
			expect(await empty.text()).toContain('Write something first.');
			const saved = await note('Picked up in store, asked about the blue one.');
			expect(saved.status).toBe(200);
			const [row] = await app.db.db.select().from(notes).where(eq(notes.customerId, id));
			expect(row).toMatchObject({ author: 'Test store', body: 'Picked up in store, asked about the blue one.' });
		});

		it('lets a marketer undo a merge from the page, and refuses store associates', async () => {
			await ingestMessages(app.db.db, [
				{ type: 'identify', messageId: 'mg-1', anonymousId: 'mg-a', traits: { email: 'mg@example.com' }, timestamp: '2025-03-01T10:00:00Z' },
				{ type: 'identify', messageId: 'mg-2', anonymousId: 'mg-b', traits: { phone: '+14155550177' }, timestamp: '2025-03-01T11:00:00Z' }
			]);
			const r = await ingestMessages(app.db.db, [
				{ type: 'identify', messageId: 'mg-3', userId: 'mg-u', traits: { email: 'mg@example.com', phone: '+14155550177' } }
			]);
			const [mergeId] = r.mergeIds;
			const undo = (cookie: string) =>
				fetch(`${app.url}/customers/${r.accepted[0]!.customerId}?/undoMerge`, {
					method: 'POST',
					headers: { cookie, origin: app.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
					body: `mergeId=${mergeId}`,
					redirect: 'manual'
				});
			expect((await undo(await app.sessionCookie('store'))).status).toBe(403);
			const marketer = await app.sessionCookie('marketer');
			const page = await (await fetch(`${app.url}/customers/${r.accepted[0]!.customerId}`, { headers: { cookie: marketer } })).text();
			expect(page).toContain('Undo merge');
			const done = await undo(marketer);
			expect(done.status).toBe(200);
			expect(await done.text()).toContain('Merge undone');
			const byEmail = await customerLookup(app.db.db, { email: 'mg@example.com' });
			const byPhone = await customerLookup(app.db.db, { phone: '+14155550177' });
			expect(byEmail?.id).toBe(r.accepted[0]!.customerId); // the older profile survived and stays
			expect(byPhone?.id).not.toBe(byEmail?.id);
		});
	});
}
