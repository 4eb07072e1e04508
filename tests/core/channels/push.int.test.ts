import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setConsent } from '../../../core/channels/consent';
import { outboxAudience, outboxEmail, outboxSms } from '../../../core/channels/outbox';
import { recordPushClick, verifyPushClick } from '../../../core/channels/push/clicks';
import { pushSubscriptionsOf, savePushSubscription } from '../../../core/channels/push/subscriptions';
import { vapidKeys } from '../../../core/channels/push/vapid';
import { WebPushProvider } from '../../../core/channels/push/web-push';
import { sendMessage, type SendMessageInput } from '../../../core/channels/send';
import { TransientChannelError } from '../../../core/channels/errors';
import type { Providers } from '../../../core/channels/types';
import type { DbHandle } from '../../../core/db/client';
import { messages } from '../../../core/db/schema/messages';
import { dbKinds, freshDb } from '../../helpers/db';
import { startPushService, type PushService } from '../../helpers/push-service';
import { seedCustomer, settings } from './fixtures';

/*
 * Web push through the real `web-push` library to a local push service that verifies the VAPID JWT (ES256 under
 * the k= key, aud, exp) and decrypts the aes128gcm payload with the subscription's keys, as a browser vendor's
 * service and the browser would: what the service worker receives is asserted, decrypted.
 */
const now = new Date();
const keys = { ...webpush.generateVAPIDKeys(), subject: 'mailto:ops@shop.example.test' };

describe('web push through web-push to a push service that checks VAPID and decrypts', () => {
	let service: PushService;
	beforeAll(async () => void (service = await startPushService()));
	afterAll(() => service?.close());

	describe.each(dbKinds())('on %s', (kind) => {
		let h: DbHandle;
		let providers: Providers;
		const push = (over: Partial<SendMessageInput> = {}) =>
			({
				idempotencyKey: `enr:push-1:${randomUUID()}`,
				channel: 'push',
				customerId: 'ada',
				nodeId: 'push-1',
				push: { title: 'Hi {{ customer.first_name }}', body: 'Your size is back in stock', url: '/shop/products/{{ event.properties.sku }}' },
				event: { name: 'back_in_stock', properties: { sku: 'TEE-42' } },
				now,
				...over
			}) as SendMessageInput;
		const subscribe = async (customerId: string) => {
			const sub = service.subscribe();
			await savePushSubscription(h.db, { customerId, subscription: sub, userAgent: 'test browser', now });
			return sub;
		};

		beforeAll(async () => {
			h = await freshDb(kind);
			await seedCustomer(h.db, 'ada', { traits: { first_name: 'Ada' } });
			await seedCustomer(h.db, 'bob', { traits: { first_name: 'Bob' } });
			await seedCustomer(h.db, 'cy', { traits: { first_name: 'Cy' } });
			providers = {
				email: outboxEmail,
				sms: outboxSms,
				push: new WebPushProvider({ keys: () => keys, agent: service.agent, timeoutMs: 5000 }),
				audiences: { meta: outboxAudience, google: outboxAudience },
				settings
			};
		});
		afterAll(() => h.close());

		it('sends one VAPID-signed, encrypted notification to each of the customer’s browsers, once per key', async () => {
			const [phone, laptop] = [await subscribe('ada'), await subscribe('ada')];
			const before = service.received.length;
			const input = push();
			const first = await sendMessage(h.db, providers, input);
			const again = await sendMessage(h.db, providers, input);
			const got = service.received.slice(before);

			expect(first).toMatchObject({ outcome: 'sent', channel: 'push', provider: 'web-push', status: 'sent', replayed: false });
			expect(again).toMatchObject({ outcome: 'sent', messageId: first.messageId, replayed: true });
			expect(got.map((r) => r.endpoint).sort()).toEqual([phone.endpoint, laptop.endpoint].sort());
			for (const r of got) {
				expect(r.payload).toEqual({
					title: 'Hi Ada',
					body: 'Your size is back in stock',
					url: 'https://shop.example.test/shop/products/TEE-42',
					tag: 'push-1',
					messageId: first.messageId,
					click: expect.stringMatching(new RegExp(`^https://shop\\.example\\.test/api/v1/push/clicks\\?m=${first.messageId}&t=[A-Za-z0-9_-]{43}$`))
				});
				expect(r.vapidKey).toBe(keys.publicKey);
				expect(r.claims).toMatchObject({ aud: service.url, sub: 'mailto:ops@shop.example.test' });
				expect(r.ttl).toBe(86_400);
			}
			const [row] = await h.db.select().from(messages).where(eq(messages.id, first.messageId));
			expect(row).toMatchObject({ to: '2 browsers', subject: 'Hi Ada', status: 'sent' });
			expect(row!.meta).toMatchObject({ devices: 2, accepted: 2, gone: 0 });
			expect(service.refused.filter((r) => r.endpoint === phone.endpoint || r.endpoint === laptop.endpoint)).toEqual([]);

			// The service worker reports a click with the signed URL: the message moves to `clicked`, once.
			const click = new URL((got[0]!.payload as { click: string }).click);
			expect(verifyPushClick(settings.appSecret, click.searchParams.get('m')!, click.searchParams.get('t')!)).toBe(true);
			expect(verifyPushClick(settings.appSecret, 'another-message', click.searchParams.get('t')!)).toBe(false);
			expect(await recordPushClick(h.db, first.messageId, now)).toBe('recorded');
			expect(await recordPushClick(h.db, first.messageId, now)).toBe('duplicate');
			const [clicked] = await h.db.select().from(messages).where(eq(messages.id, first.messageId));
			expect(clicked!.status).toBe('clicked');
		});

		it('forgets a browser whose push service answers 410, and still reaches the others', async () => {
			const [gone, kept] = [await subscribe('bob'), await subscribe('bob')];
			service.answer(gone.endpoint, 410);
			const result = await sendMessage(h.db, providers, push({ customerId: 'bob' }));
			expect(result).toMatchObject({ outcome: 'sent' });
			expect((await pushSubscriptionsOf(h.db, 'bob')).map((s) => s.endpoint)).toEqual([kept.endpoint]);
			const [row] = await h.db.select().from(messages).where(eq(messages.id, result.messageId));
			expect(row!.meta).toMatchObject({ devices: 2, accepted: 1, gone: 1 });

			// The last browser gone too: the next push finds nobody and is skipped, not failed.
			service.answer(kept.endpoint, 404);
			const none = await sendMessage(h.db, providers, push({ customerId: 'bob' }));
			expect(none).toMatchObject({ outcome: 'skipped', reason: 'no_address' });
			expect(await pushSubscriptionsOf(h.db, 'bob')).toEqual([]);
			const later = await sendMessage(h.db, providers, push({ customerId: 'bob' }));
			expect(later).toMatchObject({ outcome: 'skipped', reason: 'no_address' });
		});

		it('retries a push service that is down without sending twice, and honours consent', async () => {
			const device = await subscribe('cy');
			service.answer(device.endpoint, 503);
			const input = push({ customerId: 'cy' });
			await expect(sendMessage(h.db, providers, input)).rejects.toBeInstanceOf(TransientChannelError);
			service.answer(device.endpoint, 201);
			const before = service.received.length;
			expect(await sendMessage(h.db, providers, input)).toMatchObject({ outcome: 'sent', replayed: false });
			expect(await sendMessage(h.db, providers, input)).toMatchObject({ outcome: 'sent', replayed: true });
			expect(service.received.length - before).toBe(1);

			await setConsent(h.db, 'cy', 'push', false, 'shop', now);
			expect(await sendMessage(h.db, providers, push({ customerId: 'cy' }))).toMatchObject({ outcome: 'skipped', reason: 'no_consent' });
			expect(service.received.length - before).toBe(1);
		});

		it('drafts a template error, not a push, for a URL that is not http(s)', async () => {
			await subscribe('ada');
			const result = await sendMessage(h.db, providers, push({ push: { title: 'x', body: 'y', url: 'javascript:alert(1)' } }));
			expect(result).toMatchObject({ outcome: 'failed', error: { code: 'template_error' } });
		});
	});
});

describe('VAPID keys', () => {
	it('are generated once under DATA_DIR (mode 600) and reused; the environment wins', () => {
		const dir = mkdtempSync(join(tmpdir(), 'vapid-'));
		const first = vapidKeys({ DATA_DIR: dir });
		const file = join(dir, 'secrets', 'vapid.json');
		expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ publicKey: first.publicKey, privateKey: first.privateKey });
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(vapidKeys({ DATA_DIR: dir })).toEqual(first);
		expect(first.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
		expect(vapidKeys({ DATA_DIR: dir, VAPID_PUBLIC_KEY: 'pub', VAPID_PRIVATE_KEY: 'priv', VAPID_SUBJECT: 'mailto:x@y.z' })).toEqual({
			publicKey: 'pub',
			privateKey: 'priv',
			subject: 'mailto:x@y.z'
		});
	});
});
