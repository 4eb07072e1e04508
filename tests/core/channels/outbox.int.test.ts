import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncAudience } from '../../../core/channels/audience';
import { previewMessage } from '../../../core/channels/preview';
import { createProviders } from '../../../core/channels/providers';
import { sendMessage } from '../../../core/channels/send';
import { loadEnv } from '../../../core/config/env';
import type { DbHandle } from '../../../core/db/client';
import { messages } from '../../../core/db/schema/messages';
import { dbKinds, freshDb } from '../../helpers/db';
import { seedCustomer } from './fixtures';

describe.each(dbKinds())('outbox fallback on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await freshDb(kind);
		await seedCustomer(h.db, 'ada', { email: 'ada@example.com', phone: '+33612345678', traits: { first_name: 'Ada' } });
	});
	afterAll(() => h.close());

	it('uses the outbox for every channel without credentials, and real providers where they are set', () => {
		const bare = createProviders(loadEnv({ APP_SECRET: 's' }));
		expect([bare.email.name, bare.sms.name, bare.audiences.meta.name, bare.audiences.google.name]).toEqual(['outbox', 'outbox', 'outbox', 'outbox']);
		expect(bare.settings).toMatchObject({ publicUrl: 'http://localhost:3000', statusCallbacks: false });
		const configured = createProviders(
			loadEnv({
				APP_SECRET: 's',
				PUBLIC_URL: 'https://omni.example.com/',
				SENDGRID_API_KEY: 'SG.k',
				TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
				TWILIO_AUTH_TOKEN: 't',
				TWILIO_FROM: '+14155552671',
				META_ACCESS_TOKEN: 'm'
			})
		);
		expect([configured.email.name, configured.sms.name, configured.audiences.meta.name, configured.audiences.google.name]).toEqual([
			'sendgrid',
			'twilio',
			'meta',
			'outbox'
		]);
		expect(configured.settings).toMatchObject({ publicUrl: 'https://omni.example.com', statusCallbacks: true });
	});

	it('records outbox messages as sent, with the rendered content, once per key', async () => {
		const providers = createProviders(loadEnv({ APP_SECRET: 's' }));
		const key = randomUUID();
		const input = { idempotencyKey: key, channel: 'email' as const, customerId: 'ada', email: { subject: 'Hi {{ customer.first_name }}', text: 'Hello' } };
		const first = await sendMessage(h.db, providers, input);
		expect(await sendMessage(h.db, providers, input)).toMatchObject({ replayed: true, messageId: first.messageId });
		expect(first).toMatchObject({ outcome: 'sent', provider: 'outbox', status: 'sent', providerMessageId: null });
		const rows = await h.db.select().from(messages).where(eq(messages.idempotencyKey, key));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ provider: 'outbox', status: 'sent', subject: 'Hi Ada', to: 'ada@example.com', attempts: 1, lockedUntil: null, error: null });
		// Stored as sent in its one write: sent and counted under the caps at the send's time, no dispatch mark left.
		expect(rows[0]!.sentAt).toEqual(rows[0]!.createdAt);
		expect(rows[0]!.countedAt).toEqual(rows[0]!.sentAt);
		expect(rows[0]!.meta).not.toHaveProperty('dispatch');
		expect(rows[0]!.body).toMatch(/^Hello\n\nUnsubscribe: http:\/\/localhost:3000\/unsubscribe\//);

		const sms = await sendMessage(h.db, providers, {
			idempotencyKey: randomUUID(),
			channel: 'sms',
			customerId: 'ada',
			sms: { body: 'Hi {{ customer.first_name }}' }
		});
		expect(sms).toMatchObject({ outcome: 'sent', provider: 'outbox', channel: 'sms' });
		const ads = await syncAudience(h.db, providers, { idempotencyKey: randomUUID(), network: 'google', audienceId: '1', action: 'add', customerId: 'ada' });
		expect(ads).toMatchObject({ outcome: 'sent', provider: 'outbox', channel: 'ads' });
	});

	it('previews a message without storing or sending it', async () => {
		const providers = createProviders(loadEnv({ APP_SECRET: 's' }));
		const key = randomUUID();
		const preview = await previewMessage(h.db, providers, {
			idempotencyKey: key,
			channel: 'sms',
			customerId: 'ada',
			sms: { body: 'Hi {{ customer.first_name }} 😀' }
		});
		expect(preview).toMatchObject({ ok: true, to: '+33612345678', body: 'Hi Ada 😀', meta: { encoding: 'UCS-2', segments: 1 } });
		expect(await previewMessage(h.db, providers, { idempotencyKey: key, channel: 'sms', customerId: 'ada', sms: { body: '{% if %}' } })).toMatchObject({
			ok: false,
			reason: 'template_error'
		});
		expect(await previewMessage(h.db, providers, { idempotencyKey: key, channel: 'sms', customerId: 'nobody', sms: { body: 'x' } })).toEqual({
			ok: false,
			reason: 'no_customer'
		});
		expect(await h.db.select().from(messages).where(eq(messages.idempotencyKey, key))).toEqual([]);
	});

	it('refuses to start without APP_SECRET (unsubscribe links need it)', () => {
		const saved = process.env.APP_SECRET;
		delete process.env.APP_SECRET;
		try {
			expect(() => createProviders(loadEnv({}))).toThrow(/APP_SECRET/);
		} finally {
			if (saved !== undefined) process.env.APP_SECRET = saved;
		}
	});
});
