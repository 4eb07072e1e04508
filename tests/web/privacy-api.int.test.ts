import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { events } from '../../core/db/schema/events';
import { notes } from '../../core/db/schema/customers';
import { dbKinds } from '../helpers/db';
import { startTestProduct, type TestProduct } from '../helpers/product';
import { addCustomer, waitingJourney } from '../core/journeys/fixtures';

type Json = Record<string, unknown> & { error?: { code: string } };

/** The privacy APIs over real HTTP: a customer's export (a download), erasure, and the audit log that records both. */
describe.each(dbKinds())('privacy APIs on %s', (kind) => {
	let product: TestProduct;
	let admin: string;
	let marketer: string;

	const call = (method: string, path: string, key: string, body?: unknown) =>
		fetch(`${product.url}/api/v1${path}`, {
			method,
			headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body)
		});

	beforeAll(async () => {
		product = await startTestProduct(kind);
		admin = (await createApiKey(product.db.db, { name: 'dpo desk', kind: 'secret', role: 'admin' })).key;
		marketer = (await createApiKey(product.db.db, { name: 'campaigns', kind: 'secret', role: 'marketer' })).key;
		await addCustomer(
			product.db,
			'ann',
			[
				{ kind: 'email', value: 'ann@example.test' },
				{ kind: 'phone', value: '+33612340000' }
			],
			{ traits: { name: 'Ann Example', email: 'ann@example.test' }, consent: { email: { granted: true, source: 'form', at: '2026-01-01T00:00:00Z' } } }
		);
		await product.db.db.insert(events).values({
			id: 'ev-ann',
			messageId: 'm-ann',
			type: 'track',
			name: 'order_completed',
			customerId: 'ann',
			properties: { total: 42 },
			timestamp: new Date()
		});
		await product.db.db.insert(notes).values({ customerId: 'ann', author: 'Store', body: 'Prefers SMS' });
	});
	afterAll(async () => product?.stop());

	it('exports everything about a customer as a JSON download, for admins only, and records it', async () => {
		const res = await call('GET', '/customers/ann/export', admin);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('application/json');
		expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="customer-ann-\d{4}-\d{2}-\d{2}\.json"$/);
		expect(res.headers.get('cache-control')).toBe('no-store');
		const file = (await res.json()) as Json & { identifiers: unknown[]; events: unknown[]; notes: unknown[]; suppressions: unknown[] };
		expect(file).toMatchObject({
			format: 'omnicanal.customer-export/1',
			customerId: 'ann',
			profile: { traits: { name: 'Ann Example' } },
			consent: { email: { granted: true } },
			identifiers: expect.arrayContaining([expect.objectContaining({ kind: 'email', value: 'ann@example.test' })]),
			events: [expect.objectContaining({ name: 'order_completed', properties: { total: 42 } })],
			notes: [expect.objectContaining({ body: 'Prefers SMS' })],
			suppressions: expect.arrayContaining([{ channel: 'email', address: 'ann@example.test', suppressed: false }]),
			messages: [],
			journeys: [],
			offers: []
		});

		expect((await call('GET', '/customers/ann/export', marketer)).status).toBe(403);
		expect((await call('GET', '/customers/nobody/export', admin)).status).toBe(404);
		const audit = (await (await call('GET', '/audit?action=customer.export', admin)).json()) as { items: Array<Record<string, unknown>>; total: number };
		expect(audit.total).toBe(1);
		expect(audit.items[0]).toMatchObject({ actorKind: 'key', actorLabel: 'key:dpo desk', targetType: 'customer', targetId: 'ann' });
		expect(audit.items[0]!.ip).toBeTruthy();
	});

	it('records a publish made through the API', async () => {
		const created = (await (await call('POST', '/journeys', admin, { name: 'Audited launch', definition: waitingJourney() })).json()) as {
			journey: { id: string };
		};
		expect((await call('POST', `/journeys/${created.journey.id}/publish`, admin)).status).toBe(201);
		const audit = (await (await call('GET', '/audit?action=journey.publish', admin)).json()) as { items: Array<Record<string, unknown>> };
		expect(audit.items).toEqual([expect.objectContaining({ targetId: created.journey.id, details: { name: 'Audited launch', version: 1, created: true } })]);
	});

	it('erases a customer (admins only), then answers 404 for them', async () => {
		expect((await call('POST', '/customers/ann/erase', marketer)).status).toBe(403);
		const res = await call('POST', '/customers/ann/erase', admin);
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ erased: ['ann'], workflows: { terminated: 0 }, audiencesRemoved: [] });
		expect((await call('GET', '/customers/ann', admin)).status).toBe(404);
		expect((await call('GET', '/customers/ann/export', admin)).status).toBe(404);
		expect((await call('POST', '/customers/ann/erase', admin)).status).toBe(404);
		const audit = (await (await call('GET', '/audit?action=customer.erase', admin)).json()) as { items: unknown[] };
		expect(audit.items).toEqual([expect.objectContaining({ targetId: 'ann', actorLabel: 'key:dpo desk' })]);
	});

	it('serves the audit log to admins only, and refuses filters it does not know', async () => {
		expect((await call('GET', '/audit', marketer)).status).toBe(403);
		const bad = await call('GET', '/audit?action=journey.delete', admin);
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as Json).error?.code).toBeTruthy();
		const paged = (await (await call('GET', '/audit?pageSize=1&page=2', admin)).json()) as { items: unknown[]; total: number; page: number };
		expect(paged).toMatchObject({ page: 2 });
		expect(paged.items).toHaveLength(1);
		expect(paged.total).toBeGreaterThanOrEqual(3);
	});
});
