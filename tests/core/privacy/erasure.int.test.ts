import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSuppressed } from '../../../core/channels/consent';
import { metaEmailHash } from '../../../core/channels/ads/hash';
import { MetaAudienceProvider } from '../../../core/channels/ads/meta';
import { createProviders } from '../../../core/channels/providers';
import { loadEnv } from '../../../core/config/env';
import { sendMessage } from '../../../core/channels/send';
import type { DbHandle } from '../../../core/db/client';
import { auditLog } from '../../../core/db/schema/audit';
import { customers, identities, merges, notes, segmentMembers, segments, suppressions } from '../../../core/db/schema/customers';
import { events } from '../../../core/db/schema/events';
import { enrollments, stepLog } from '../../../core/db/schema/journeys';
import { messageEvents, messages } from '../../../core/db/schema/messages';
import { offers, redemptions, storeTasks } from '../../../core/db/schema/offers';
import { ingestInbox } from '../../../core/db/schema/inbox';
import { carts, orders } from '../../../core/db/schema/orders';
import { rowsOf } from '../../../core/db/rows';
import { keyedHash, privacyHashKey } from '../../../core/privacy/keyed-hash';
import { erasePerson } from '../../../core/privacy/erasure';
import { enrol } from '../../../core/routing/index';
import { dbKinds, freshDb } from '../../helpers/db';
import { fakeServer, sendJson, type FakeServer } from '../../helpers/http-fake';
import { journeyWorker, publishTestJourney, testRouter } from '../../helpers/journeys';
import { connectToSharedDevServer } from '../../helpers/temporal';

/** Everything that identifies Zoé, as typed and as stored (normalized); each is searched for in every column afterwards. */
const zoe = {
	email: 'zoe.erased@example.test',
	emailAsTyped: 'Zoe.Erased@Example.test',
	oldEmail: 'zoe.old@example.test',
	phone: '+33612349876',
	phoneAsTyped: '06 12 34 98 76',
	userId: 'crm-zoe-4242',
	anonymousId: 'anon-7f3e9c1d',
	loyaltyId: 'LOY-99887766',
	name: 'Zoé Erasmus',
	lastName: 'Erasmus',
	street: '17 rue des Oubliés',
	city: 'Montreuil-sous-Bois',
	postalCode: 'F-93100',
	pushToken: 'pushtok-abcdef123456',
	deviceId: 'device-5c8e2a',
	ip: '203.0.113.77',
	cartId: 'cart-zoe-31',
	orderId: 'order-zoe-77'
};
const searched = Object.values(zoe);

process.env.APP_SECRET ??= 'test-secret'; // keys the suppressions' hashes (no PRIVACY_HASH_KEY in tests)

/**
 * A person with activity in every table and a journey running in Temporal is erased; then every column of every
 * table, cast to text, and Temporal's visibility of their workflows are searched for each of their identifiers:
 * nothing is found, and their suppression still stops a send to their address.
 */
describe.each(dbKinds())('erasing a person everywhere (%s)', (kind) => {
	let env: TestWorkflowEnvironment;
	let h: DbHandle;
	let worker: Worker;
	let running: Promise<void>;
	let meta: FakeServer;
	const taskQueue = `erasure-${randomUUID()}`;

	beforeAll(async () => {
		[env, h] = await Promise.all([connectToSharedDevServer(), freshDb(kind)]);
		worker = await journeyWorker(env.nativeConnection, h, taskQueue);
		running = worker.run();
		meta = await fakeServer((_req, res) => sendJson(res, 200, { session_id: 42, num_received: 1, num_invalid_entries: 0 }));
	});
	afterAll(async () => {
		worker?.shutdown();
		await running;
		await meta?.close();
		await env?.teardown();
		await h?.close();
	});

	/** Zoé, an older profile of hers merged in, and a trace of her in every table that holds people's data. */
	async function createZoe() {
		const db = h.db;
		const root = randomUUID();
		const old = randomUUID();
		const at = new Date(Date.now() - 3_600_000);
		await db.insert(customers).values([
			{
				id: root,
				traits: {
					email: zoe.emailAsTyped,
					phone: zoe.phoneAsTyped,
					name: zoe.name,
					lastName: zoe.lastName,
					address: { street: zoe.street, city: zoe.city, postalCode: zoe.postalCode },
					pushToken: zoe.pushToken
				},
				traitTimes: { email: at.toISOString() },
				consent: { email: { granted: true, source: 'form', at: at.toISOString() } },
				timezone: 'Europe/Paris'
			},
			{ id: old, traits: { email: zoe.oldEmail } }
		]);
		await db.update(customers).set({ mergedInto: root }).where(eq(customers.id, old));
		await db.insert(identities).values([
			{ kind: 'email', value: zoe.email, customerId: root },
			{ kind: 'phone', value: zoe.phone, customerId: root },
			{ kind: 'userId', value: zoe.userId, customerId: root },
			{ kind: 'loyaltyId', value: zoe.loyaltyId, customerId: root },
			{ kind: 'anonymousId', value: zoe.anonymousId, customerId: old },
			{ kind: 'email', value: zoe.oldEmail, customerId: old }
		]);
		await db.insert(merges).values({ fromCustomerId: old, intoCustomerId: root, snapshot: { traits: { email: zoe.oldEmail }, identities: [zoe.anonymousId] } });
		await db.insert(notes).values({ customerId: root, author: 'Store associate', body: `Called ${zoe.name} on ${zoe.phoneAsTyped} about her order` });
		const [segment] = await db.insert(segments).values({ id: randomUUID(), name: 'VIP', definition: {} }).returning();
		await db.insert(segmentMembers).values({ segmentId: segment!.id, customerId: root });
		await db.insert(suppressions).values([
			{ channel: 'email', value: zoe.email, reason: 'unsubscribed' },
			{ channel: 'sms', value: zoe.phone, reason: 'stop' }
		]);
		await db.insert(events).values([
			{
				id: randomUUID(),
				messageId: randomUUID(),
				type: 'identify',
				customerId: old,
				anonymousId: zoe.anonymousId,
				traits: { email: zoe.oldEmail },
				context: { ip: zoe.ip },
				timestamp: at
			},
			{
				id: randomUUID(),
				messageId: randomUUID(),
				type: 'track',
				name: 'checkout_started',
				customerId: root,
				userId: zoe.userId,
				properties: { email: zoe.emailAsTyped, cart: zoe.cartId },
				context: { ip: zoe.ip, device: { id: zoe.deviceId, token: zoe.pushToken } },
				timestamp: at,
				routingError: `no journey for ${zoe.email}`
			}
		]);

		// A journey running in Temporal: an e-mail went out, and it waits for her order (entry event carries her e-mail).
		const live = await publishTestJourney(h, {
			schemaVersion: 1,
			nodes: [
				{ id: 'trigger', type: 'trigger', entry: { kind: 'manual' } },
				{ id: 'email', type: 'sendEmail', subject: 'Welcome', text: 'Hello {{ customer.email }}' },
				{ id: 'order', type: 'waitForEvent', event: 'order_completed', timeout: { amount: 2, unit: 'days' } },
				{ id: 'exit', type: 'exit' },
				{ id: 'gave-up', type: 'exit' }
			],
			edges: [
				{ id: 'a', source: 'trigger', target: 'email' },
				{ id: 'b', source: 'email', target: 'order' },
				{ id: 'c', source: 'order', sourceHandle: 'event', target: 'exit' },
				{ id: 'd', source: 'order', sourceHandle: 'timeout', target: 'gave-up' }
			],
			settings: { reentry: { mode: 'never' }, exitCriteria: [] }
		});
		const entered = await enrol(testRouter(h, env.client, taskQueue), live, root, {
			id: `entry-${randomUUID()}`,
			name: 'signed_up',
			properties: { email: zoe.email, name: zoe.name },
			timestamp: Date.now()
		});
		if (!entered.enrolled) throw new Error(entered.reason);
		await expect
			.poll(async () => (await db.select().from(enrollments).where(eq(enrollments.id, entered.enrollmentId)))[0]?.currentNodeId, { timeout: 30_000 })
			.toBe('order');

		// An older, finished enrollment whose steps and messages quote her (its workflow is long gone from Temporal).
		const oldEnrollment = `journey:${live.journeyId}:${old}:1`;
		await db
			.insert(enrollments)
			.values({ id: oldEnrollment, journeyId: live.journeyId, version: 1, customerId: old, n: 1, status: 'exited', exitReason: `bounced: ${zoe.oldEmail}` });
		await db.insert(stepLog).values({
			enrollmentId: oldEnrollment,
			journeyId: live.journeyId,
			version: 1,
			customerId: old,
			nodeId: 'email',
			kind: 'failed',
			reason: `Twilio 21610: ${zoe.phone} is unsubscribed`,
			detail: { to: zoe.oldEmail, link: `https://shop.example/o/ZOE-OFFER-1?e=${zoe.email}` }
		});
		const failed = randomUUID();
		await db.insert(messages).values([
			{
				id: failed,
				idempotencyKey: randomUUID(),
				channel: 'sms',
				provider: 'twilio',
				customerId: old,
				enrollmentId: oldEnrollment,
				to: zoe.phone,
				body: `Hi ${zoe.name}, your code ZOE-OFFER-1`,
				status: 'failed',
				error: `The 'To' number ${zoe.phone} is not a valid phone number (${zoe.phoneAsTyped})`,
				meta: { offerLink: `https://shop.example/o/ZOE-OFFER-1?e=${zoe.email}`, segments: 1 }
			},
			{
				id: randomUUID(),
				idempotencyKey: randomUUID(),
				channel: 'ads',
				provider: 'meta',
				customerId: root,
				to: 'meta:aud-123',
				body: 'add to meta audience aud-123',
				status: 'sent',
				meta: { network: 'meta', audienceId: 'aud-123', action: 'add' }
			}
		]);
		await db.insert(messageEvents).values({ messageId: failed, status: 'failed', raw: { To: zoe.phone, email: zoe.email } });
		const offerId = randomUUID();
		await db.insert(offers).values({
			id: offerId,
			code: 'ZOE-OFFER-1',
			grantKey: randomUUID(),
			customerId: root,
			title: '15% off',
			kind: 'percent',
			value: '15',
			expiresAt: new Date(Date.now() + 7 * 86_400_000),
			reservedBy: zoe.cartId,
			reservedUntil: new Date(Date.now() + 600_000),
			redeemedOrderId: zoe.orderId
		});
		await db.insert(redemptions).values({
			idempotencyKey: randomUUID(),
			offerCode: 'ZOE-OFFER-1',
			statusCode: 409,
			response: { reservation: { cartId: zoe.cartId }, redemption: { orderId: zoe.orderId } }
		});
		await db.insert(storeTasks).values({
			id: randomUUID(),
			taskKey: randomUUID(),
			customerId: root,
			title: `Greet ${zoe.name}`,
			instructions: `Call ${zoe.phoneAsTyped} when her order arrives`,
			offerId
		});
		// Her cart (with the till's handoff code), an order with what she typed at checkout, and a message of hers that
		// ingest accepted but has not processed yet.
		await db.insert(carts).values({ id: randomUUID(), customerId: root, anonymousId: zoe.anonymousId, handoffCode: 'HZ-5521', offerCode: 'ZOE-OFFER-1' });
		await db.insert(orders).values({
			id: randomUUID(),
			cartId: randomUUID(),
			customerId: root,
			anonymousId: zoe.anonymousId,
			channel: 'web',
			fulfilment: 'ship',
			items: [{ productId: 'sku-1', name: 'Scarf', qty: 1, priceCents: 3900 }],
			subtotalCents: 3900,
			totalCents: 3900,
			currency: 'EUR',
			buyerName: zoe.name,
			buyerEmail: zoe.emailAsTyped
		});
		await db.insert(ingestInbox).values({
			eventId: randomUUID(),
			messageId: randomUUID(),
			senderKey: zoe.userId,
			message: { type: 'identify', userId: zoe.userId, traits: { email: zoe.email } },
			receivedAt: new Date()
		});
		return { root, old, enrollmentId: entered.enrollmentId, oldEnrollment };
	}

	/** The text of every payload in a workflow history (JSON payloads are base64 in `data` fields). */
	function decodedPayloads(history: unknown): string {
		const out: string[] = [];
		const walk = (v: unknown): void => {
			if (Array.isArray(v)) v.forEach(walk);
			else if (v && typeof v === 'object')
				for (const [k, x] of Object.entries(v)) {
					if (k === 'data' && (typeof x === 'string' || x instanceof Uint8Array))
						out.push(Buffer.from(x as string, typeof x === 'string' ? 'base64' : undefined).toString());
					else walk(x);
				}
		};
		walk(history);
		return out.join('\n');
	}

	/** Every column of every table of ours, cast to text, that contains one of the values (case-insensitive). */
	async function findAnywhere(values: string[]): Promise<string[]> {
		const columns = rowsOf<{ table_name: string; column_name: string }>(
			await h.db.execute(
				sql`select table_name, column_name from information_schema.columns where table_schema = current_schema() order by table_name, ordinal_position`
			)
		);
		expect(columns.length).toBeGreaterThan(100); // the schema, not an empty search
		const patterns = values.map((v) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
		const found: string[] = [];
		for (const { table_name, column_name } of columns) {
			const rows = rowsOf<{ text: string }>(
				await h.db.execute(
					sql`select ${sql.identifier(column_name)}::text as text from ${sql.identifier(table_name)} where ${sql.identifier(column_name)}::text ilike any (${sql.raw(
						`array[${patterns.map((p) => `'${p.replace(/'/g, "''")}'`).join(',')}]`
					)})`
				)
			);
			for (const r of rows) found.push(`${table_name}.${column_name}: ${r.text.slice(0, 200)}`);
		}
		return found;
	}

	it('leaves none of their identifiers in any table or in Temporal, and keeps their suppressions working', async () => {
		const { root, old, enrollmentId, oldEnrollment } = await createZoe();
		// The search finds her before erasure (in many places), so an empty result afterwards means something.
		expect((await findAnywhere(searched)).length).toBeGreaterThan(20);
		// Temporal holds her too: the entry event's properties are in the workflow's input and first signal.
		const payloads = decodedPayloads(await env.client.workflow.getHandle(enrollmentId).fetchHistory());
		expect(payloads.includes(zoe.email)).toBe(true);

		const audiences = {
			...createProviders(loadEnv({ APP_SECRET: 'test-secret' })).audiences,
			meta: new MetaAudienceProvider({ accessToken: 'test', baseUrl: meta.url })
		};
		const report = await erasePerson({ db: h.db, temporal: env.client, audiences }, old, {
			actor: { kind: 'user', id: 'admin-1', label: 'dpo@example.test', ip: '127.0.0.1' }
		});
		expect(report).toMatchObject({ erased: expect.arrayContaining([root, old]), audiencesRemoved: [{ network: 'meta', audienceId: 'aud-123' }] });
		expect(report!.workflows.terminated).toBe(1);
		expect(report!.workflows.deletedRuns).toBeGreaterThanOrEqual(1);

		// Ad audience: a remove call with her hashed e-mail.
		const removal = meta.requests.find((r) => r.method === 'DELETE');
		expect(removal?.path).toContain('/aud-123/users');
		expect(decodeURIComponent(removal!.body)).toContain(metaEmailHash(zoe.email));

		// Temporal: the running workflow is gone from history and from visibility.
		await expect
			.poll(
				async () => {
					const runs = [];
					for await (const run of env.client.workflow.list({ query: `WorkflowId = '${enrollmentId}'` })) runs.push(run.runId);
					const described = await env.client.workflow
						.getHandle(enrollmentId)
						.describe()
						.then(() => 'found')
						.catch((err: Error) => err.name);
					return { runs: runs.length, described };
				},
				{ timeout: 20_000, interval: 250 }
			)
			.toEqual({ runs: 0, described: 'WorkflowNotFoundError' });
		for await (const run of env.client.workflow.list({ query: `WorkflowId = '${oldEnrollment}'` })) expect.fail(`a run is still visible: ${run.runId}`);

		// The database: nowhere, in any column of any table.
		expect(await findAnywhere(searched)).toEqual([]);

		// What stays is anonymous and still counts: her enrollments, the events' names, the messages' statuses, the offer revoked.
		const [enrollment] = await h.db.select().from(enrollments).where(eq(enrollments.id, enrollmentId));
		expect(enrollment).toMatchObject({ status: 'exited', exitReason: 'customer erased' });
		expect((await h.db.select({ name: events.name }).from(events).where(eq(events.customerId, root))).map((e) => e.name)).toEqual(['checkout_started']);
		expect((await h.db.select({ status: offers.status }).from(offers).where(eq(offers.customerId, root)))[0]?.status).toBe('revoked');
		const [audit] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'customer.erase'));
		expect(audit).toMatchObject({ actorLabel: 'dpo@example.test', targetType: 'customer', targetId: root, ip: '127.0.0.1' });

		// Suppressions: kept as keyed hashes, and they still stop a send to her address — here to a new profile that has it.
		const key = privacyHashKey()!;
		expect((await h.db.select({ value: suppressions.value }).from(suppressions)).map((s) => s.value).sort()).toEqual(
			[keyedHash(key, 'email', zoe.email), keyedHash(key, 'sms', zoe.phone)].sort()
		);
		expect(await isSuppressed(h.db, 'email', zoe.email)).toBe(true);
		expect(await isSuppressed(h.db, 'sms', zoe.phone)).toBe(true);
		const again = randomUUID();
		await h.db.insert(customers).values({ id: again, traits: {} });
		await h.db.insert(identities).values({ kind: 'email', value: zoe.email, customerId: again });
		const send = await sendMessage(h.db, createProviders(loadEnv({ APP_SECRET: 'test-secret' })), {
			idempotencyKey: randomUUID(),
			customerId: again,
			channel: 'email',
			email: { subject: 'Back again?', text: 'Hello' },
			purpose: 'transactional'
		});
		expect(send).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });

		// Erasing again is a no-op.
		expect(await erasePerson({ db: h.db, temporal: env.client, audiences }, root)).toBeNull();
	});
});
