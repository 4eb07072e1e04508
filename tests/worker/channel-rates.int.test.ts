/**
 * Workspace send rates on the newer channels (SEND_RATE_WHATSAPP, SEND_RATE_PUSH), through the worker's own step
 * functions and the environment parsing of a real worker: the second send in the window is queued behind the
 * first (a turn, the step held), never sent early; each channel's rate is its own.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { loadEnv } from '../../core/config/env';
import type { DbHandle } from '../../core/db/client';
import { messages } from '../../core/db/schema/messages';
import { savePushSubscription } from '../../core/channels/push/subscriptions';
import { activityDepsFromEnv } from '../../worker/activities/index';
import { sendPushStep, sendWhatsAppStep } from '../../worker/activities/channels';
import { dbKinds, freshDb } from '../helpers/db';
import { seedCustomer, seedEnrollment, settings } from '../core/channels/fixtures';
import { outboxAudience, outboxEmail, outboxPush, outboxSms, outboxWhatsApp } from '../../core/channels/outbox';
import type { Providers } from '../../core/channels/types';

const HOUR = 3_600_000;
const outbox: Providers = {
	email: outboxEmail,
	sms: outboxSms,
	whatsapp: outboxWhatsApp,
	push: outboxPush,
	audiences: { meta: outboxAudience, google: outboxAudience },
	settings
};

/** A browser's subscription keys: a P-256 public key and a 16-byte secret, as PushManager makes them. */
function browserKeys() {
	const ecdh = createECDH('prime256v1');
	return { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}
const t0 = new Date('2026-03-02T09:00:00Z');
const template = { contentSid: `HX${'a'.repeat(32)}` };

describe.each(dbKinds())('send rates for WhatsApp and web push on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await freshDb(kind);
		for (const id of ['ana', 'ben']) {
			await seedCustomer(h.db, id, { phone: `+3361234567${id === 'ana' ? 1 : 2}` });
			await seedEnrollment(h.db, `enr-${id}`, id);
			await savePushSubscription(h.db, {
				customerId: id,
				subscription: { endpoint: `https://push.example.test/${id}`, keys: browserKeys() },
				now: t0
			});
		}
	});
	afterAll(() => h.close());

	const input = <N>(customerId: string, node: N) => ({
		ref: { enrollmentId: `enr-${customerId}`, journeyId: 'j-spring', version: 1, customerId },
		node,
		visit: 1,
		settings: {}
	});

	it('queues the second send of the hour on each channel, and the channels do not share a rate', async () => {
		const fromEnv = activityDepsFromEnv(loadEnv({ APP_SECRET: 'test-secret', SEND_RATE_WHATSAPP: '1/hour', SEND_RATE_PUSH: '1/hour' }), h.db);
		expect(fromEnv.sendRates).toMatchObject({ whatsapp: { max: 1, windowMs: HOUR }, push: { max: 1, windowMs: HOUR } });
		// The outbox stands in for Twilio and the push services: the rates are what is under test.
		const deps = { ...fromEnv, providers: outbox };

		const whatsapp = (id: string) => input(id, { id: 'wa', type: 'sendWhatsApp' as const, template });
		const push = (id: string) => input(id, { id: 'push', type: 'sendPush' as const, title: 'New in', body: 'Linen is back' });

		expect(await sendWhatsAppStep(deps, whatsapp('ana'), t0)).toMatchObject({ status: 'done' });
		// Another channel's rate is its own: the push goes at once although WhatsApp's hour is used.
		expect(await sendPushStep(deps, push('ana'), t0)).toMatchObject({ status: 'done' });
		const heldWa = await sendWhatsAppStep(deps, whatsapp('ben'), t0);
		expect(heldWa).toMatchObject({ status: 'held', reason: 'queued', until: t0.getTime() + HOUR });
		expect(await sendPushStep(deps, push('ben'), t0)).toMatchObject({ status: 'held', reason: 'queued', until: t0.getTime() + HOUR });
		// Nothing was stored or sent for the queued ones yet.
		expect(await h.db.select().from(messages).where(eq(messages.customerId, 'ben'))).toEqual([]);

		// At its turn the queued send goes, once.
		const later = new Date(t0.getTime() + HOUR);
		expect(await sendWhatsAppStep(deps, whatsapp('ben'), later)).toMatchObject({ status: 'done' });
		expect(await sendWhatsAppStep(deps, whatsapp('ben'), later)).toMatchObject({ status: 'done', detail: { replayed: true } });
		const sent = await h.db.select().from(messages).where(eq(messages.customerId, 'ben'));
		expect(sent.map((m) => [m.channel, m.status, m.sentAt?.getTime()])).toEqual([['whatsapp', 'sent', later.getTime()]]);
	});

	it('refuses a rate it cannot read, naming the setting', () => {
		expect(() => loadEnv({ APP_SECRET: 'test-secret', SEND_RATE_PUSH: 'lots' })).toThrow(/SEND_RATE_PUSH/);
	});
});
