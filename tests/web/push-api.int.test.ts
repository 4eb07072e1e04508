import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushClickUrl } from '../../core/channels/push/clicks';
import { customers, identities } from '../../core/db/schema/customers';
import { messages } from '../../core/db/schema/messages';
import { pushSubscriptions } from '../../core/db/schema/push';
import { dbKinds } from '../helpers/db';
import { startTestProduct, type TestProduct } from '../helpers/product';

type Json = Record<string, unknown> & { error?: { code: string; message: string } };

/** The push subscription API a shop's backend calls with its write key, and the click reports of service workers. */
describe.each(dbKinds())('web push APIs on %s', (kind) => {
	let product: TestProduct;
	const keys = { p256dh: `B${'Q'.repeat(86)}`, auth: 'QUJDREVGR0hJSktMTU5PUA' };

	async function api(method: string, path: string, body?: unknown, auth = true): Promise<{ status: number; body: Json }> {
		const res = await fetch(`${product.url}/api/v1${path}`, {
			method,
			headers: {
				...(auth ? { authorization: `Basic ${Buffer.from(`${product.writeKey}:`).toString('base64')}` } : {}),
				'content-type': 'application/json'
			},
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		return { status: res.status, body: (await res.json()) as Json };
	}

	beforeAll(async () => void (product = await startTestProduct(kind)));
	afterAll(() => product?.stop());

	it('stores several browsers per person, refuses endpoints that are not push services, and turns one off', async () => {
		const phone = { endpoint: 'https://fcm.googleapis.com/fcm/send/api-phone', keys };
		const laptop = { endpoint: 'https://updates.push.services.mozilla.com/wpush/v2/api-laptop', keys };
		expect((await api('POST', '/push/subscriptions', { userId: 'u-77', subscription: phone }, false)).status).toBe(401);
		const first = await api('POST', '/push/subscriptions', { userId: 'u-77', subscription: phone, userAgent: 'Chrome/120 Android' });
		expect(first).toMatchObject({ status: 201, body: { devices: 1 } });
		expect(await api('POST', '/push/subscriptions', { userId: 'u-77', subscription: laptop })).toMatchObject({ status: 201, body: { devices: 2 } });
		const customerId = first.body.customerId as string;
		const [who] = await product.db.db.select().from(identities).where(eq(identities.value, 'u-77'));
		expect(who).toMatchObject({ kind: 'userId', customerId });
		const [profile] = await product.db.db.select().from(customers).where(eq(customers.id, customerId));
		expect(profile!.consent.push).toMatchObject({ granted: true, source: 'api' });

		const internal = await api('POST', '/push/subscriptions', { userId: 'u-77', subscription: { endpoint: 'https://10.0.0.5/push', keys } });
		expect(internal).toMatchObject({ status: 422, body: { error: { code: 'unsupported_endpoint' } } });
		expect(await api('POST', '/push/subscriptions', { subscription: phone })).toMatchObject({ status: 422, body: { error: { code: 'invalid_visitor' } } });
		expect(await api('POST', '/push/subscriptions', { userId: 'u-77', subscription: { endpoint: 'nope' } })).toMatchObject({
			status: 400,
			body: { error: { code: 'invalid_request' } }
		});

		expect(await api('DELETE', '/push/subscriptions', { userId: 'u-77', endpoint: phone.endpoint })).toEqual({
			status: 200,
			body: { removed: true, devices: 1 }
		});
		expect(await api('DELETE', '/push/subscriptions', { userId: 'nobody', endpoint: laptop.endpoint })).toMatchObject({ status: 404 });
		const left = await product.db.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.customerId, customerId));
		expect(left.map((s) => s.endpoint)).toEqual([laptop.endpoint]);
	});

	it('records a click reported with the signed URL, and refuses a forged one', async () => {
		const [owner] = await product.db.db
			.insert(customers)
			.values({ id: `push-click-${kind}` })
			.returning();
		await product.db.db.insert(messages).values({
			id: `m-push-${kind}`,
			idempotencyKey: `push-click-${kind}`,
			channel: 'push',
			provider: 'web-push',
			customerId: owner!.id,
			to: '1 browser',
			subject: 'Back in stock',
			body: 'Your size',
			status: 'sent'
		});
		const url = new URL(pushClickUrl(product.url, 'test-secret', `m-push-${kind}`));
		const post = (u: string) => fetch(u, { method: 'POST' }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));
		expect(await post(url.toString())).toEqual({ status: 200, body: { outcome: 'recorded' } });
		expect(await post(url.toString())).toEqual({ status: 200, body: { outcome: 'duplicate' } });
		url.searchParams.set('t', 'A'.repeat(43));
		expect(await post(url.toString())).toMatchObject({ status: 403, body: { error: { code: 'invalid_signature' } } });
		const [row] = await product.db.db
			.select()
			.from(messages)
			.where(eq(messages.id, `m-push-${kind}`));
		expect(row!.status).toBe('clicked');
	});
});
