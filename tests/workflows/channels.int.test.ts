import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { asc, eq } from 'drizzle-orm';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxAudience, outboxEmail, outboxSms } from '../../core/channels/outbox';
import { savePushSubscription } from '../../core/channels/push/subscriptions';
import { WebPushProvider } from '../../core/channels/push/web-push';
import { TwilioWhatsAppProvider, WHATSAPP_RECEIVED } from '../../core/channels/whatsapp';
import type { DbHandle } from '../../core/db/client';
import { identities } from '../../core/db/schema/customers';
import { messages } from '../../core/db/schema/messages';
import type { JourneyResult } from '../../core/enrollment/contract';
import { enrol, type Router } from '../../core/routing/index';
import { createActivities } from '../../worker/activities/index';
import { settings } from '../core/channels/fixtures';
import { freshDb } from '../helpers/db';
import { insertCustomer, journeyBundle, linearJourney, publishTestJourney, stepsOf, storeEvent, testRouter } from '../helpers/journeys';
import { prismFor, type PrismHandle } from '../helpers/prism';
import { startPushService, type PushService } from '../helpers/push-service';
import { createTimeSkippingEnv } from '../helpers/temporal';

const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;
const CONTENT_SID = `HX${'5e'.repeat(16)}`;
const manual = { id: 'trigger', type: 'trigger' as const, entry: { kind: 'manual' as const } };

/**
 * A journey through the real Temporal worker that sends a WhatsApp message (Twilio SDK → the published contract)
 * and a web push (web-push → a push service that verifies VAPID and decrypts), with the step log to show for it.
 */
describe('WhatsApp and web push steps in a journey run by the worker', () => {
	let env: TestWorkflowEnvironment;
	let db: DbHandle;
	let worker: Worker;
	let running: Promise<void>;
	let router: Router;
	let prism: PrismHandle;
	let pushService: PushService;
	const taskQueue = `channels-${randomUUID()}`;

	beforeAll(async () => {
		[env, db, prism, pushService] = await Promise.all([createTimeSkippingEnv(), freshDb('pglite'), prismFor('twilio'), startPushService()]);
		const keys = { ...webpush.generateVAPIDKeys(), subject: 'mailto:ops@shop.example.test' };
		const providers = {
			email: outboxEmail,
			sms: outboxSms,
			whatsapp: new TwilioWhatsAppProvider({ accountSid: ACCOUNT, authToken: 'token', from: '+14155238886', baseUrl: prism.url }),
			push: new WebPushProvider({ keys: () => keys, agent: pushService.agent, timeoutMs: 5000 }),
			audiences: { meta: outboxAudience, google: outboxAudience },
			settings
		};
		worker = await Worker.create({
			connection: env.nativeConnection,
			taskQueue,
			workflowBundle: await journeyBundle(),
			activities: createActivities({ db: db.db, providers })
		});
		running = worker.run();
		router = testRouter(db, env.client, taskQueue);
	});
	afterAll(async () => {
		worker?.shutdown();
		await running;
		await env?.teardown();
		await db?.close();
		await prism?.stop();
		await pushService?.close();
	});

	async function run(customerId: string) {
		const live = await publishTestJourney(
			db,
			linearJourney(manual, [
				{
					id: 'wa',
					type: 'sendWhatsApp',
					body: 'Hi {{ customer.first_name }}, your size is back.',
					template: { contentSid: CONTENT_SID, variables: { '1': '{{ customer.first_name }}' } }
				},
				{ id: 'wa-no-template', type: 'sendWhatsApp', body: 'Free text only' },
				{ id: 'push', type: 'sendPush', title: 'Back in stock', body: 'For you, {{ customer.first_name }}', url: '/shop/cart' }
			])
		);
		const entered = await enrol(router, live, customerId, { id: `entry-${randomUUID()}`, name: 'entry', properties: {}, timestamp: Date.now() });
		if (!entered.enrolled) throw new Error(`not enrolled: ${entered.reason}`);
		const result: JourneyResult = await env.client.workflow.getHandle(entered.enrollmentId).result();
		const steps = (await stepsOf(db, entered.enrollmentId))
			.filter((s) => s.kind !== 'entered')
			.map((s) => `${s.nodeId}:${s.kind}${s.reason ? `:${s.reason}` : ''}`);
		const sent = await db.db.select().from(messages).where(eq(messages.enrollmentId, entered.enrollmentId)).orderBy(asc(messages.createdAt));
		return { result, steps, sent };
	}

	it('sends free text inside the window and the push to the customer’s browser', async () => {
		const customerId = await insertCustomer(db, { traits: { first_name: 'Ada', phone: '+33612345678' } });
		await storeEvent(db, customerId, WHATSAPP_RECEIVED, { body: 'Any news?' }, new Date(Date.now() - 3600_000));
		const browser = pushService.subscribe();
		await savePushSubscription(db.db, { customerId, subscription: browser, now: new Date() });
		const before = { twilio: prism.requests.length, push: pushService.received.length };

		const { result, steps, sent } = await run(customerId);
		expect(result.status).toBe('completed');
		expect(steps).toEqual(['wa:completed', 'wa-no-template:completed', 'push:completed', 'exit:exited:completed']);
		const twilio = prism.requests.slice(before.twilio).map((r) => new URLSearchParams(r.body));
		expect(twilio.map((f) => [f.get('To'), f.get('Body')])).toEqual([
			['whatsapp:+33612345678', 'Hi Ada, your size is back.'],
			['whatsapp:+33612345678', 'Free text only']
		]);
		expect(pushService.received.slice(before.push).map((r) => r.payload)).toEqual([
			{
				title: 'Back in stock',
				body: 'For you, Ada',
				url: 'https://shop.example.test/shop/cart',
				tag: 'push',
				messageId: sent[2]!.id,
				click: expect.stringContaining('/api/v1/push/clicks?m=')
			}
		]);
		expect(sent.map((m) => `${m.nodeId}:${m.channel}:${m.status}`)).toEqual(['wa:whatsapp:queued', 'wa-no-template:whatsapp:queued', 'push:push:sent']);
	});

	it('outside the window sends the template, skips the step without one (with its reason), and skips push without a browser', async () => {
		const customerId = await insertCustomer(db, { traits: { first_name: 'Bob' } });
		await db.db.insert(identities).values({ kind: 'phone', value: '+33698765432', customerId });
		const before = prism.requests.length;
		const { result, steps, sent } = await run(customerId);
		expect(result.status).toBe('completed');
		expect(steps).toEqual(['wa:completed', 'wa-no-template:skipped:outside_24h_window', 'push:skipped:no_address', 'exit:exited:completed']);
		const forms = prism.requests.slice(before).map((r) => new URLSearchParams(r.body));
		expect(forms).toHaveLength(1);
		expect(forms[0]!.get('ContentSid')).toBe(CONTENT_SID);
		expect(JSON.parse(forms[0]!.get('ContentVariables')!)).toEqual({ '1': 'Bob' });
		expect(sent.map((m) => `${m.nodeId}:${m.status}:${m.error ?? ''}`)).toEqual([
			'wa:queued:',
			'wa-no-template:skipped:outside_24h_window',
			'push:skipped:no_address'
		]);
	});
});
