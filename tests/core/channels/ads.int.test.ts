import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoogleAdsAudienceProvider } from '../../../core/channels/ads/google';
import { MetaAudienceProvider } from '../../../core/channels/ads/meta';
import { syncAudience } from '../../../core/channels/audience';
import { outboxEmail, outboxSms } from '../../../core/channels/outbox';
import type { Providers } from '../../../core/channels/types';
import type { DbHandle } from '../../../core/db/client';
import { dbKinds, freshDb } from '../../helpers/db';
import { fakeServer, sendJson, seedCustomer, settings, type FakeServer } from './fixtures';

// SHA-256 of the normalized identifiers, computed independently (sha256sum).
const ADA_EMAIL = 'b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72'; // "ada@example.com"
const ADA_PHONE_META = '8a3e7886c9335e82e02299fa3e87b46e2de3b0c63d56003e30a5029394a47661'; // "33612345678"
const PHO_PHONE_META = '7574bee7627cf5828c51ae09f5bfa1bcc7c31b2666991fcaab44f98aca31f348'; // "33698765432"
const ADA_PHONE_GOOGLE = '42d573cfc315801d4cd8eddd5416b416a0bf298b9b9e12d6b07442c91db42bd8'; // "+33612345678"

describe.each(dbKinds())('ad audiences on %s', (kind) => {
	let h: DbHandle;
	let meta: FakeServer;
	let google: FakeServer;
	let failNext: number | null = null;
	let providers: Providers;

	beforeAll(async () => {
		h = await freshDb(kind);
		await seedCustomer(h.db, 'ada', {
			email: ' ADA@example.com',
			phone: '+33612345678',
			consent: { ads: { granted: true, source: 'banner', at: '2026-01-01T00:00:00Z' } }
		});
		await seedCustomer(h.db, 'eve', { email: 'eve@example.com', consent: { ads: { granted: false, source: 'banner', at: '2026-01-01T00:00:00Z' } } });
		await seedCustomer(h.db, 'pho', { phone: '+33698765432' });
		meta = await fakeServer((req, res) => {
			if (failNext) return sendJson(res, failNext, { error: { message: 'nope', code: 100 } });
			sendJson(res, 200, { audience_id: '6001', session_id: `s-${meta.requests.length}`, num_received: 1, num_invalid_entries: 0 });
		});
		google = await fakeServer((req, res) => {
			if (failNext) return sendJson(res, failNext, { error: { code: failNext, message: 'bad', status: 'INVALID_ARGUMENT' } });
			if (req.path.endsWith('offlineUserDataJobs:create')) return sendJson(res, 200, { resourceName: 'customers/1234567890/offlineUserDataJobs/77' });
			if (req.path.endsWith(':run')) return sendJson(res, 200, { name: 'customers/1234567890/operations/op-1' });
			sendJson(res, 200, {});
		});
		providers = {
			email: outboxEmail,
			sms: outboxSms,
			settings,
			audiences: {
				meta: new MetaAudienceProvider({ accessToken: 'meta-token', baseUrl: meta.url, apiVersion: 'v25.0', timeoutMs: 2000 }),
				google: new GoogleAdsAudienceProvider({
					developerToken: 'dev-token',
					accessToken: 'g-token',
					customerId: '123-456-7890',
					baseUrl: google.url,
					apiVersion: 'v24',
					timeoutMs: 2000
				})
			}
		};
	});
	afterAll(async () => {
		await meta.close();
		await google.close();
		await h.close();
	});

	const sync = (over: Partial<Parameters<typeof syncAudience>[2]> = {}) =>
		syncAudience(h.db, providers, { idempotencyKey: randomUUID(), network: 'meta', audienceId: '6001', action: 'add', customerId: 'ada', ...over });

	it('adds to a Meta Custom Audience with hashed, normalized identifiers (multi-key), once per key', async () => {
		meta.requests.length = 0;
		const key = randomUUID();
		const result = await sync({ idempotencyKey: key });
		expect(await sync({ idempotencyKey: key })).toMatchObject({ outcome: 'sent', replayed: true });
		expect(meta.requests).toHaveLength(1);
		const req = meta.requests[0]!;
		expect(req).toMatchObject({ method: 'POST', path: '/v25.0/6001/users' });
		expect(req.headers.authorization).toBe('Bearer meta-token');
		const payload = JSON.parse(new URLSearchParams(req.body).get('payload')!) as unknown;
		expect(payload).toEqual({ schema: ['EMAIL', 'PHONE'], data: [[ADA_EMAIL, ADA_PHONE_META]] });
		expect(req.body).not.toContain('ada@example.com');
		expect(result).toMatchObject({ outcome: 'sent', channel: 'ads', provider: 'meta', providerMessageId: 's-1' });
	});

	it('removes with DELETE and uses the single-key schema when only a phone is known', async () => {
		meta.requests.length = 0;
		await sync({ action: 'remove', customerId: 'pho' });
		expect(meta.requests[0]).toMatchObject({ method: 'DELETE', path: '/v25.0/6001/users' });
		expect(JSON.parse(new URLSearchParams(meta.requests[0]!.body).get('payload')!)).toEqual({ schema: 'PHONE_SHA256', data: [PHO_PHONE_META] });
	});

	it('runs a Google Customer Match offline user data job: create, addOperations, run', async () => {
		google.requests.length = 0;
		const result = await sync({ network: 'google', audienceId: '555' });
		expect(google.requests.map((r) => r.path)).toEqual([
			'/v24/customers/1234567890/offlineUserDataJobs:create',
			'/v24/customers/1234567890/offlineUserDataJobs/77:addOperations',
			'/v24/customers/1234567890/offlineUserDataJobs/77:run'
		]);
		for (const r of google.requests) {
			expect(r.headers.authorization).toBe('Bearer g-token');
			expect(r.headers['developer-token']).toBe('dev-token');
		}
		expect(JSON.parse(google.requests[0]!.body)).toEqual({
			job: {
				type: 'CUSTOMER_MATCH_USER_LIST',
				customerMatchUserListMetadata: { userList: 'customers/1234567890/userLists/555', consent: { adUserData: 'GRANTED', adPersonalization: 'GRANTED' } }
			}
		});
		expect(JSON.parse(google.requests[1]!.body)).toEqual({
			operations: [{ create: { userIdentifiers: [{ hashedEmail: ADA_EMAIL }, { hashedPhoneNumber: ADA_PHONE_GOOGLE }] } }],
			enablePartialFailure: true
		});
		expect(result).toMatchObject({ outcome: 'sent', provider: 'google', providerMessageId: 'customers/1234567890/offlineUserDataJobs/77' });

		google.requests.length = 0;
		await sync({ network: 'google', audienceId: '555', action: 'remove' });
		expect(JSON.parse(google.requests[1]!.body).operations[0]).toHaveProperty('remove.userIdentifiers');
	});

	it('never adds a customer who refused ads, and maps 4xx to failed, 5xx to a retryable error', async () => {
		meta.requests.length = 0;
		expect(await sync({ customerId: 'eve' })).toMatchObject({ outcome: 'skipped', reason: 'no_consent' });
		expect(await sync({ customerId: 'eve', action: 'remove' })).toMatchObject({ outcome: 'sent' });
		expect(meta.requests).toHaveLength(1);

		failNext = 400;
		expect(await sync()).toMatchObject({ outcome: 'failed', error: { code: 'http_400', message: expect.stringContaining('nope') } });
		failNext = 503;
		const key = randomUUID();
		await expect(sync({ idempotencyKey: key, network: 'google' })).rejects.toMatchObject({ name: 'TransientChannelError' });
		failNext = null;
		expect(await sync({ idempotencyKey: key, network: 'google' })).toMatchObject({ outcome: 'sent', replayed: false });
	});
});
