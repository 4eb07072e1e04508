import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/db/client';
import { customers } from '../../core/db/schema/customers';
import { enrollments } from '../../core/db/schema/journeys';
import { messages } from '../../core/db/schema/messages';
import { offers } from '../../core/db/schema/offers';
import { enrol, routeEvent, type Router } from '../../core/routing/index';
import { pickVariant } from '../../core/graph/hash';
import { localDateTime } from '../../core/graph/zone';
import { INTERPRETER_VERSION, JOURNEY_WORKFLOW, stateQuery, type JourneyInput, type JourneyResult } from '../../core/enrollment/contract';
import { freshDb } from '../helpers/db';
import { insertCustomer, journeyBundle, journeyWorker, linearJourney, publishTestJourney, stepsOf, storeEvent, testRouter } from '../helpers/journeys';
import { createTimeSkippingEnv } from '../helpers/temporal';

const DAY = 24 * 3600 * 1000;
const manual = { id: 'trigger', type: 'trigger' as const, entry: { kind: 'manual' as const } };

/**
 * The interpreter against Temporal's time-skipping test server and a real database, with the real activities:
 * "wait 3 days" is tested as 3 days of workflow time, in seconds of wall time.
 */
describe('journey interpreter (time-skipping)', () => {
	let env: TestWorkflowEnvironment;
	let db: DbHandle;
	let worker: Worker;
	let router: Router;
	let running: Promise<void>;
	const taskQueue = `journeys-${randomUUID()}`;
	/** Every enrollment these tests ran, replayed at the end against the current workflow code. */
	const finished: string[] = [];

	beforeAll(async () => {
		[env, db] = await Promise.all([createTimeSkippingEnv(), freshDb('pglite')]);
		worker = await journeyWorker(env.nativeConnection, db, taskQueue);
		running = worker.run();
		router = testRouter(db, env.client, taskQueue);
	});
	afterAll(async () => {
		worker?.shutdown();
		await running;
		await env?.teardown();
		await db?.close();
	});

	async function enter(def: Parameters<typeof publishTestJourney>[1], customerId: string, props: Record<string, unknown> = {}) {
		const live = await publishTestJourney(db, def);
		const result = await enrol(router, live, customerId, { id: `entry-${randomUUID()}`, name: 'entry', properties: props, timestamp: Date.now() });
		if (!result.enrolled) throw new Error(`not enrolled: ${result.reason}`);
		finished.push(result.enrollmentId);
		return { live, id: result.enrollmentId, handle: env.client.workflow.getHandle(result.enrollmentId) };
	}

	it('starts new enrollments as journeyV2: the entry event in its input, no patch marker, search-attribute upsert or signal; the last action writes the end', async () => {
		const customerId = await insertCustomer(db);
		const { id, handle } = await enter(linearJourney(manual, [{ id: 'tag', type: 'updateProfile', set: { seen: true } }]), customerId, { plan: 'pro' });
		expect((await handle.result()).status).toBe('completed');
		expect((await handle.describe()).type).toBe(JOURNEY_WORKFLOW);
		const events = (await handle.fetchHistory()).events ?? [];
		const started = events[0]!.workflowExecutionStartedEventAttributes!;
		expect(started.workflowType?.name).toBe('journeyV2');
		const input = JSON.parse(Buffer.from(started.input!.payloads![0]!.data!).toString()) as JourneyInput;
		expect(input.entryEvent?.properties).toEqual({ plan: 'pro' });
		expect(input.interpreterVersion).toBe(2);
		expect(events.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toBe(false);
		expect(events.some((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toBe(false);
		expect(events.some((e) => e.workflowExecutionSignaledEventAttributes)).toBe(false);
		// The action before the exit wrote the end in its activity: no local activity at the end.
		expect(events.some((e) => e.markerRecordedEventAttributes)).toBe(false);
		const steps = await stepsOf(db, id);
		expect(steps.map((s) => `${s.nodeId}:${s.kind}:${s.visit}`)).toEqual([
			'trigger:entered:1',
			'tag:entered:1',
			'tag:completed:1',
			'exit:entered:1',
			'exit:exited:1'
		]);
		const [row] = await db.db.select().from(enrollments).where(eq(enrollments.id, id));
		expect(row).toMatchObject({ status: 'completed', exitReason: 'completed', currentNodeId: 'exit', interests: { events: [], propertyPaths: [] } });
		expect(row!.endedAt).not.toBeNull();
	});

	it('waits 3 days, then acts, and records every step', async () => {
		const customerId = await insertCustomer(db);
		const { id, handle } = await enter(
			linearJourney(manual, [
				{ id: 'wait', type: 'wait', mode: 'duration', duration: { amount: 3, unit: 'days' } },
				{ id: 'tag', type: 'updateProfile', set: { vip: true } }
			]),
			customerId
		);
		const result: JourneyResult = await handle.result();
		expect(result.status).toBe('completed');
		expect(result.path.map((p) => p.nodeId)).toEqual(['trigger', 'wait', 'tag', 'exit']);
		const [waitEntry, tagEntry] = [result.path[1]!, result.path[2]!];
		expect(tagEntry.at - waitEntry.at).toBeGreaterThanOrEqual(3 * DAY);

		const steps = await stepsOf(db, id);
		expect(steps.map((s) => `${s.nodeId}:${s.kind}`)).toEqual([
			'trigger:entered',
			'wait:entered',
			'wait:completed',
			'tag:entered',
			'tag:completed',
			'exit:entered',
			'exit:exited'
		]);
		const [row] = await db.db.select().from(enrollments).where(eq(enrollments.id, id));
		expect(row).toMatchObject({ status: 'completed', currentNodeId: 'exit' });
		const [profile] = await db.db.select().from(customers).where(eq(customers.id, customerId));
		expect(profile!.traits).toMatchObject({ vip: true });
	});

	const waitForOrder = {
		schemaVersion: 1 as const,
		nodes: [
			{ id: 'trigger', type: 'trigger' as const, entry: { kind: 'event' as const, event: 'cart_abandoned' } },
			{ id: 'offer', type: 'grantOffer' as const, title: '10% off', kind: 'percent' as const, value: 10, validFor: { amount: 7, unit: 'days' as const } },
			{ id: 'order', type: 'waitForEvent' as const, event: 'order_completed', matchEntryProperty: 'cart_id', timeout: { amount: 2, unit: 'days' as const } },
			{ id: 'bought', type: 'exit' as const, reason: 'converted' },
			{ id: 'nudge', type: 'updateProfile' as const, set: { nudged: true } },
			{ id: 'end', type: 'exit' as const }
		],
		edges: [
			{ id: 'a', source: 'trigger', target: 'offer' },
			{ id: 'b', source: 'offer', target: 'order' },
			{ id: 'c', source: 'order', sourceHandle: 'event', target: 'bought' },
			{ id: 'd', source: 'order', sourceHandle: 'timeout', target: 'nudge' },
			{ id: 'e', source: 'nudge', target: 'end' }
		],
		settings: { reentry: { mode: 'never' as const }, exitCriteria: [] }
	};

	it('takes the timeout branch of a 2-day wait for an event', async () => {
		const customerId = await insertCustomer(db);
		const { id, handle } = await enter(waitForOrder, customerId, { cart_id: 'c-1' });
		const result: JourneyResult = await handle.result();
		expect(result.path.map((p) => p.nodeId)).toEqual(['trigger', 'offer', 'order', 'nudge', 'end']);
		expect(result.path[3]!.at - result.path[2]!.at).toBeGreaterThanOrEqual(2 * DAY);
		const steps = await stepsOf(db, id);
		expect(steps.find((s) => s.nodeId === 'order' && s.kind === 'branch')?.branch).toBe('timeout');
		const granted = await db.db.select().from(offers).where(eq(offers.enrollmentId, id));
		expect(granted).toHaveLength(1);
	});

	it('takes the event branch when the matching event arrives, ignoring another cart', async () => {
		const customerId = await insertCustomer(db);
		const { id, handle } = await enter(waitForOrder, customerId, { cart_id: 'c-2' });
		// Wait until the enrollment listens for the order (routing reads its interests).
		await expect.poll(async () => (await db.db.select().from(enrollments).where(eq(enrollments.id, id)))[0]?.currentNodeId, { timeout: 20_000 }).toBe('order');
		await routeEvent(router, await storeEvent(db, customerId, 'order_completed', { cart_id: 'other' }));
		await routeEvent(router, await storeEvent(db, customerId, 'order_completed', { cart_id: 'c-2' }));
		const result: JourneyResult = await handle.result();
		expect(result.path.map((p) => p.nodeId)).toEqual(['trigger', 'offer', 'order', 'bought']);
		expect(result.path[3]!.branch).toBe('event');
	});

	it('waits until 09:00 in the customer’s own time zone', async () => {
		const customerId = await insertCustomer(db, { timezone: 'Pacific/Auckland' });
		const { handle } = await enter(
			linearJourney(manual, [
				{ id: 'nine', type: 'wait', mode: 'localTime', time: '09:00' },
				{ id: 'tag', type: 'updateProfile', set: { morning: true } }
			]),
			customerId
		);
		const result: JourneyResult = await handle.result();
		const local = localDateTime(result.path[2]!.at, 'Pacific/Auckland');
		expect([local.hour, local.minute]).toEqual([9, 0]);
		expect(result.path[2]!.at - result.path[1]!.at).toBeLessThanOrEqual(DAY);
	});

	it('holds an email that falls in quiet hours until they end in the customer’s zone, then sends it once', async () => {
		const customerId = await insertCustomer(db, { timezone: 'Asia/Tokyo', traits: { email: 'kenji@example.jp' } });
		const { id, handle } = await enter(
			linearJourney(
				manual,
				[
					{ id: 'late', type: 'wait', mode: 'localTime', time: '22:30' },
					{ id: 'mail', type: 'sendEmail', subject: 'Hello', text: 'Hi {{ customer.email }}' }
				],
				// The journey's default zone is New York's; Tokyo's night must win for a customer who lives there.
				{ quietHours: { start: '21:00', end: '08:00' }, defaultTimeZone: 'America/New_York' }
			),
			customerId
		);
		const result: JourneyResult = await handle.result();
		expect(result.status).toBe('completed');
		const steps = await stepsOf(db, id);
		const held = steps.find((s) => s.nodeId === 'mail' && s.kind === 'held');
		const done = steps.find((s) => s.nodeId === 'mail' && s.kind === 'completed');
		expect(held?.reason).toBe('quiet hours');
		expect(localDateTime(held!.at.getTime(), 'Asia/Tokyo')).toMatchObject({ hour: 22, minute: 30 });
		expect(localDateTime(done!.at.getTime(), 'Asia/Tokyo')).toMatchObject({ hour: 8, minute: 0 });
		const sentMail = await db.db.select().from(messages).where(eq(messages.enrollmentId, id));
		expect(sentMail).toHaveLength(1);
		expect(sentMail[0]).toMatchObject({ channel: 'email', to: 'kenji@example.jp', status: 'sent' });
	});

	it('branches on traits and splits A/B deterministically', async () => {
		const variants = [
			{ id: 'a', label: 'A', weight: 1 },
			{ id: 'b', label: 'B', weight: 1 }
		];
		const def = {
			schemaVersion: 1 as const,
			nodes: [
				manual,
				{
					id: 'tier',
					type: 'condition' as const,
					branches: [
						{ id: 'gold', label: 'Gold', match: 'all' as const, conditions: [{ kind: 'trait' as const, path: 'tier', op: 'eq' as const, value: 'gold' }] }
					]
				},
				{ id: 'ab', type: 'randomSplit' as const, variants },
				{ id: 'gold-exit', type: 'exit' as const },
				{ id: 'a-exit', type: 'exit' as const },
				{ id: 'b-exit', type: 'exit' as const }
			],
			edges: [
				{ id: '1', source: 'trigger', target: 'tier' },
				{ id: '2', source: 'tier', sourceHandle: 'gold', target: 'gold-exit' },
				{ id: '3', source: 'tier', sourceHandle: 'else', target: 'ab' },
				{ id: '4', source: 'ab', sourceHandle: 'a', target: 'a-exit' },
				{ id: '5', source: 'ab', sourceHandle: 'b', target: 'b-exit' }
			],
			settings: { reentry: { mode: 'never' as const }, exitCriteria: [] }
		};
		const gold = await insertCustomer(db, { traits: { tier: 'gold' } });
		const other = await insertCustomer(db, { traits: { tier: 'silver' } });
		const goldRun = await enter(def, gold);
		const otherRun = await enter(def, other);
		// One result() at a time: each call unlocks time skipping on the test server, and parallel calls unbalance it.
		const g: JourneyResult = await goldRun.handle.result();
		const o: JourneyResult = await otherRun.handle.result();
		expect(g.path.at(-1)!.nodeId).toBe('gold-exit');
		expect(o.path.at(-1)!.nodeId).toBe(`${pickVariant(other, 'ab', variants)}-exit`);
	});

	it('ends early as converted when a goal event arrives, and exits on exit criteria', async () => {
		const def = linearJourney(manual, [{ id: 'wait', type: 'wait', mode: 'duration', duration: { amount: 5, unit: 'days' } }], {
			goal: { events: [{ event: 'offer_redeemed' }], attributionWindow: { amount: 7, unit: 'days' } },
			exitCriteria: [{ event: 'unsubscribed' }]
		});
		const buyer = await insertCustomer(db);
		const leaver = await insertCustomer(db);
		const a = await enter(def, buyer);
		const b = await enter(def, leaver);
		for (const [run, customer] of [
			[a, buyer],
			[b, leaver]
		] as const) {
			await expect
				.poll(async () => (await db.db.select().from(enrollments).where(eq(enrollments.id, run.id)))[0]?.currentNodeId, { timeout: 20_000 })
				.toBe('wait');
			await routeEvent(router, await storeEvent(db, customer, customer === buyer ? 'offer_redeemed' : 'unsubscribed'));
		}
		const ra: JourneyResult = await a.handle.result();
		const rb: JourneyResult = await b.handle.result();
		expect(ra.status).toBe('converted');
		expect(rb.status).toBe('exited');
		expect((await stepsOf(db, a.id)).some((s) => s.kind === 'converted' && s.nodeId === 'wait')).toBe(true);
		const [row] = await db.db.select().from(enrollments).where(eq(enrollments.id, b.id));
		expect(row).toMatchObject({ status: 'exited', exitReason: 'exit event unsubscribed' });
	});

	it('continues as new in a long loop, keeping its place, its visits and its ear for exit events', async () => {
		const customerId = await insertCustomer(db);
		const def = {
			schemaVersion: 1 as const,
			nodes: [
				manual,
				{ id: 'tick', type: 'wait' as const, mode: 'duration' as const, duration: { amount: 1, unit: 'minutes' as const } },
				{ id: 'tag', type: 'updateProfile' as const, set: { looping: true } }
			],
			edges: [
				{ id: 'a', source: 'trigger', target: 'tick' },
				{ id: 'b', source: 'tick', target: 'tag' },
				{ id: 'c', source: 'tag', target: 'tick' }
			],
			settings: { reentry: { mode: 'never' as const }, exitCriteria: [{ event: 'stop_looping' }] }
		};
		const live = await publishTestJourney(db, def);
		const enrollmentId = `journey:${live.journeyId}:${customerId}:1`;
		await db.db.insert(enrollments).values({ id: enrollmentId, journeyId: live.journeyId, version: 1, customerId, n: 1 });
		const handle = await env.client.workflow.start(JOURNEY_WORKFLOW, {
			taskQueue,
			workflowId: enrollmentId,
			args: [
				{
					interpreterVersion: INTERPRETER_VERSION,
					ref: { enrollmentId, journeyId: live.journeyId, version: 1, customerId },
					definition: live.definition,
					continueAsNewAfter: 60
				}
			]
		});
		// Skip time only once the first timer exists, or the loop would start a minute ahead of the skipped clock.
		await expect.poll(async () => (await handle.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes) ?? false, { timeout: 20_000 }).toBe(true);
		await env.sleep('90 minutes');
		const described = await handle.describe();
		expect(described.runId).not.toBe(handle.firstExecutionRunId);
		expect(described.type).toBe(JOURNEY_WORKFLOW); // continued as the same interpreter
		const state = await handle.query(stateQuery);
		expect(state.currentNodeId).toMatch(/^(tick|tag)$/);
		await routeEvent(router, await storeEvent(db, customerId, 'stop_looping'));
		const result: JourneyResult = await env.client.workflow.getHandle(enrollmentId).result();
		expect(result.status).toBe('exited');
		const visits = (await stepsOf(db, enrollmentId)).filter((s) => s.nodeId === 'tag' && s.kind === 'completed');
		// Visit numbers keep counting across runs: every pass is its own step, none is recorded twice.
		expect(visits.length).toBeGreaterThanOrEqual(60);
		expect(new Set(visits.map((v) => v.visit)).size).toBe(visits.length);
	});

	it('never enrols the same customer twice for one entry, and respects re-entry "never"', async () => {
		const customerId = await insertCustomer(db);
		const live = await publishTestJourney(db, linearJourney(manual, [{ id: 'wait', type: 'wait', mode: 'duration', duration: { amount: 1, unit: 'hours' } }]));
		const entry = { id: `entry-${randomUUID()}`, name: 'entry', properties: {}, timestamp: Date.now() };
		const [first, again] = [await enrol(router, live, customerId, entry), await enrol(router, live, customerId, entry)];
		expect(first).toMatchObject({ enrolled: true, n: 1 });
		expect(again).toMatchObject({ enrolled: true, n: 1, resumed: true });
		await env.client.workflow.getHandle((first as { enrollmentId: string }).enrollmentId).result();
		const later = await enrol(router, live, customerId, { ...entry, id: `entry-${randomUUID()}` });
		expect(later).toEqual({ enrolled: false, reason: 'reentry_not_allowed' });
	});

	it('replays every recorded history without non-determinism', async () => {
		expect(finished.length).toBeGreaterThanOrEqual(9);
		const histories = await Promise.all(
			finished.map(async (workflowId) => ({ workflowId, history: await env.client.workflow.getHandle(workflowId).fetchHistory() }))
		);
		const replayed: string[] = [];
		for await (const result of Worker.runReplayHistories({ workflowBundle: await journeyBundle() }, histories)) {
			expect(result.error, `${result.workflowId}: ${String(result.error)}`).toBeUndefined();
			replayed.push(result.workflowId);
		}
		expect(replayed).toHaveLength(finished.length);
	});
});
