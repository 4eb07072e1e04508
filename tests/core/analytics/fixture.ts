import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { DbHandle } from '../../../core/db/client';
import { customers } from '../../../core/db/schema/customers';
import { events } from '../../../core/db/schema/events';
import { enrollments, journeys, journeyVersions } from '../../../core/db/schema/journeys';
import { messageEvents, messages, type Channel, type MessageStatus } from '../../../core/db/schema/messages';
import type { EnrollmentStatus, StepKind } from '../../../core/enrollment/contract';
import type { ProgressUpdate } from '../../../core/enrollment/activities';
import type { JourneyDefinition } from '../../../core/graph/definition';
import { pickVariant } from '../../../core/graph/hash';
import { parseJourney } from '../../../core/graph/validate';
import { recordProgress } from '../../../worker/activities/progress';

/**
 * A seeded analytics scenario written through the real write path (the worker's recordProgress), plus
 * messages with every status and their provider events, orders for conversions and a builder test send.
 * It keeps every raw row it wrote, so tests compute the expected figures on their own from these arrays.
 */

const settings = {
	reentry: { mode: 'always' as const },
	exitCriteria: [],
	goal: { events: [{ event: 'order_completed' }], attributionWindow: { amount: 7, unit: 'days' as const } }
};

const v1: JourneyDefinition = {
	schemaVersion: 1,
	nodes: [
		{ id: 'trigger', type: 'trigger', entry: { kind: 'event', event: 'signed_up' } },
		{ id: 'email', type: 'sendEmail', label: 'Welcome e-mail', subject: 'Hi', text: 'Hello' },
		{ id: 'exit', type: 'exit' }
	],
	edges: [
		{ id: 'e-t-email', source: 'trigger', target: 'email' },
		{ id: 'e-email-exit', source: 'email', target: 'exit' }
	],
	settings
};

export const SPLIT = {
	variants: [
		{ id: 'a', label: 'SMS', weight: 1 },
		{ id: 'b', label: 'Wait', weight: 1 }
	],
	holdoutPercent: 20
};

const v2: JourneyDefinition = {
	schemaVersion: 1,
	nodes: [
		{ id: 'trigger', type: 'trigger', entry: { kind: 'event', event: 'signed_up' } },
		{ id: 'email', type: 'sendEmail', label: 'Welcome e-mail', subject: 'Hi', text: 'Hello' },
		{ id: 'split', type: 'randomSplit', label: 'Test', ...SPLIT },
		{ id: 'sms', type: 'sendSms', label: 'Reminder SMS', body: 'Hi' },
		{ id: 'wait', type: 'wait', mode: 'duration', duration: { amount: 1, unit: 'days' } },
		{ id: 'exit', type: 'exit' }
	],
	edges: [
		{ id: 'e-t-email', source: 'trigger', target: 'email' },
		{ id: 'e-email-split', source: 'email', target: 'split' },
		{ id: 'e-split-a', source: 'split', target: 'sms', sourceHandle: 'a' },
		{ id: 'e-split-b', source: 'split', target: 'wait', sourceHandle: 'b' },
		{ id: 'e-sms-exit', source: 'sms', target: 'exit' },
		{ id: 'e-wait-exit', source: 'wait', target: 'exit' }
	],
	settings
};

export interface RawStep {
	enrollmentId: string;
	version: number;
	nodeId: string;
	visit: number;
	kind: StepKind;
	branch?: string;
	reason?: string;
	at: number;
	eventId?: string;
}
export interface RawEnrollment {
	id: string;
	customerId: string;
	version: number;
	enteredAt: Date;
	status: EnrollmentStatus;
	currentNodeId: string;
	variant: string;
}
export interface RawMessage {
	id: string;
	enrollmentId: string | null;
	nodeId: string;
	channel: Channel;
	status: MessageStatus;
	sent: boolean;
	sentAt: number | null;
	customerId: string;
	events: MessageStatus[];
	test: boolean;
}
export interface RawOrder {
	eventId: string;
	total: number;
}

export interface Scenario {
	journeyId: string;
	steps: RawStep[];
	enrollments: RawEnrollment[];
	messages: RawMessage[];
	orders: Map<string, RawOrder>;
	/**
	 * An enrollment's latest recorded update, to replay and prove a retry changes nothing. The latest: Temporal retries
	 * (and re-runs after a crash) a progress write before the workflow moves on, never after a later write.
	 */
	replay: { ref: Parameters<typeof recordProgress>[1]; update: ProgressUpdate };
	/** Every progress write of the seeding, in the order it was made (each enrollment's in its own order). */
	writes: { ref: Parameters<typeof recordProgress>[1]; update: ProgressUpdate }[];
}

/** Small deterministic generator (LCG), so the scenario is the same on every run and database. */
function rng(seed: number) {
	let s = seed >>> 0;
	return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const HOUR = 3_600_000;
const BASE = Date.parse('2026-03-02T08:00:00Z');
const EMAIL_OUTCOMES: { status: MessageStatus; events: MessageStatus[] }[] = [
	{ status: 'sent', events: [] },
	{ status: 'delivered', events: ['delivered'] },
	{ status: 'opened', events: ['delivered', 'opened'] },
	{ status: 'clicked', events: ['opened', 'delivered', 'clicked'] },
	{ status: 'bounced', events: ['bounced'] },
	{ status: 'spam', events: ['delivered', 'opened', 'clicked', 'spam'] },
	{ status: 'unsubscribed', events: ['delivered', 'unsubscribed'] },
	{ status: 'failed', events: ['failed'] },
	{ status: 'undelivered', events: ['undelivered'] }
];

export async function seedScenario(db: DbHandle, count = 260): Promise<Scenario> {
	const random = rng(42);
	const journeyId = randomUUID();
	await db.db.insert(journeys).values({ id: journeyId, name: 'Analytics scenario', status: 'active', draft: parseJourney(v2), liveVersion: 2 });
	await db.db.insert(journeyVersions).values([
		{ journeyId, version: 1, definition: parseJourney(v1) },
		{ journeyId, version: 2, definition: parseJourney(v2) }
	]);
	const sc: Scenario = { journeyId, steps: [], enrollments: [], messages: [], orders: new Map(), replay: undefined as never, writes: [] };
	const customerIds: string[] = [];
	for (let i = 0; i < Math.ceil(count * 0.9); i++) customerIds.push(randomUUID());
	await db.db.insert(customers).values(customerIds.map((id) => ({ id })));

	const nPerCustomer = new Map<string, number>();
	for (let i = 0; i < count; i++) {
		// About one in ten customers enters twice (re-entry): two enrollments, counted as two entries.
		const customerId = customerIds[i % customerIds.length]!;
		const n = (nPerCustomer.get(customerId) ?? 0) + 1;
		nPerCustomer.set(customerId, n);
		const version = i % 4 === 0 ? 1 : 2;
		const enteredAt = new Date(BASE + (i % 6) * 24 * HOUR + Math.floor(random() * 20) * HOUR);
		const id = `journey:${journeyId}:${customerId}:${n}`;
		await db.db.insert(enrollments).values({ id, journeyId, version, customerId, n, enteredAt, currentNodeId: null });
		const ref = { enrollmentId: id, journeyId, version, customerId };
		const e: RawEnrollment = { id, customerId, version, enteredAt, status: 'active', currentNodeId: '', variant: '' };
		sc.enrollments.push(e);
		let clock = enteredAt.getTime();
		const visits = new Map<string, number>();
		let pending: RawStep[] = [];
		const note = (nodeId: string, kind: StepKind, extra: { branch?: string; reason?: string; eventId?: string } = {}) => {
			clock += Math.floor(random() * 3 * HOUR) + 1000;
			pending.push({ enrollmentId: id, version, nodeId, visit: visits.get(nodeId) ?? 0, kind, at: clock, ...extra });
		};
		const flush = async (patch: Omit<ProgressUpdate, 'steps'> = {}) => {
			const update: ProgressUpdate = {
				steps: pending.map((s) => ({
					nodeId: s.nodeId,
					visit: s.visit,
					kind: s.kind,
					at: s.at,
					...(s.branch ? { branch: s.branch } : {}),
					...(s.reason ? { reason: s.reason } : {}),
					...(s.eventId ? { detail: { eventId: s.eventId } } : {})
				})),
				...patch
			};
			await recordProgress(db.db, ref, update);
			sc.writes.push({ ref, update });
			sc.steps.push(...pending);
			pending = [];
			if (patch.currentNodeId) e.currentNodeId = patch.currentNodeId;
			if (patch.status) e.status = patch.status;
			if (i === 7) sc.replay = { ref, update };
		};
		const enter = async (nodeId: string, branch?: string) => {
			visits.set(nodeId, (visits.get(nodeId) ?? 0) + 1);
			note(nodeId, 'entered', branch ? {} : {});
			await flush({ currentNodeId: nodeId });
		};
		const convert = async (nodeId: string) => {
			const eventId = randomUUID();
			const total = Math.round(random() * 20000) / 100;
			await db.db.insert(events).values({
				id: eventId,
				messageId: randomUUID(),
				type: 'track',
				name: 'order_completed',
				customerId,
				properties: { total },
				timestamp: new Date(clock)
			});
			sc.orders.set(eventId, { eventId, total });
			note(nodeId, 'converted', { reason: 'order_completed', eventId });
		};
		const message = async (nodeId: string, channel: Channel) => {
			const outcome = EMAIL_OUTCOMES[Math.floor(random() * EMAIL_OUTCOMES.length)]!;
			const sent = outcome.status !== 'failed' || random() < 0.5;
			const mid = randomUUID();
			await db.db.insert(messages).values({
				id: mid,
				idempotencyKey: `${id}:${nodeId}:1`,
				channel,
				provider: 'outbox',
				customerId,
				journeyId,
				enrollmentId: id,
				nodeId,
				to: 'x',
				body: 'b',
				status: outcome.status,
				sentAt: sent ? new Date(clock) : null
			});
			if (outcome.events.length > 0)
				await db.db
					.insert(messageEvents)
					.values(outcome.events.map((status, k) => ({ messageId: mid, status, providerEventId: `${mid}:${k}`, at: new Date(clock + k * 1000) })));
			sc.messages.push({
				id: mid,
				enrollmentId: id,
				nodeId,
				channel,
				status: outcome.status,
				sent,
				sentAt: sent ? clock : null,
				customerId,
				events: outcome.events,
				test: false
			});
		};
		/** An action step: held for quiet hours sometimes, then sent, skipped (with a reason) or failed. */
		const action = async (nodeId: string, channel: Channel) => {
			if (random() < 0.15) note(nodeId, 'held', { reason: 'quiet_hours' });
			const r = random();
			if (r < 0.12) note(nodeId, 'skipped', { reason: 'no_consent' });
			else if (r < 0.2) note(nodeId, 'skipped', { reason: 'frequency_cap' });
			else if (r < 0.25) note(nodeId, 'failed', { reason: 'provider down' });
			else {
				await message(nodeId, channel);
				note(nodeId, 'completed');
			}
		};
		/** Stops here: still active, left by exit criteria, converted by the goal, or failed. */
		const maybeStop = async (nodeId: string): Promise<boolean> => {
			const r = random();
			if (r < 0.06) return true; // still active at this step
			if (r < 0.1) {
				note(nodeId, 'exited', { reason: 'exit event unsubscribed' });
				await flush({ status: 'exited', exitReason: 'exit event unsubscribed' });
				return true;
			}
			if (r < 0.16) {
				await convert(nodeId);
				await flush({ status: 'converted', exitReason: 'goal order_completed', ...(e.variant ? { variant: e.variant } : {}) });
				return true;
			}
			if (r < 0.18) {
				await flush({ status: 'failed' });
				return true;
			}
			return false;
		};
		/** The end of a path: exited row, then maybe a conversion within the window, then the final status. */
		const finish = async (nodeId: string, reason: string) => {
			note(nodeId, 'exited', { reason });
			const converts = random() < (e.variant === 'holdout' ? 0.2 : e.variant === 'a' ? 0.45 : 0.3);
			if (converts) await convert(nodeId);
			await flush({ status: converts ? 'converted' : 'completed', exitReason: reason, ...(e.variant ? { variant: e.variant } : {}) });
		};

		await enter('trigger');
		if (await maybeStop('trigger')) continue;
		await enter('email');
		if (await maybeStop('email')) continue;
		await action('email', 'email');
		if (version === 1) {
			await enter('exit');
			await finish('exit', 'completed');
			continue;
		}
		await enter('split');
		const variant = pickVariant(customerId, 'split', SPLIT.variants, SPLIT.holdoutPercent);
		note('split', 'branch', { branch: variant });
		e.variant = variant;
		if (variant === 'holdout') {
			await finish('split', 'holdout');
			continue;
		}
		const next = variant === 'a' ? 'sms' : 'wait';
		await enter(next, variant);
		if (await maybeStop(next)) continue;
		if (next === 'sms') await action('sms', 'sms');
		else {
			clock += 24 * HOUR;
			note('wait', 'completed');
		}
		await enter('exit');
		await finish('exit', 'completed');
	}

	// A builder test send: no enrollment, meta.test — never counted.
	const testId = randomUUID();
	await db.db.insert(messages).values({
		id: testId,
		idempotencyKey: `test:${testId}`,
		channel: 'email',
		provider: 'outbox',
		customerId: customerIds[0]!,
		journeyId,
		enrollmentId: null,
		nodeId: 'email',
		to: 'x',
		body: 'b',
		status: 'clicked',
		sentAt: new Date(BASE),
		meta: { test: true }
	});
	sc.messages.push({
		id: testId,
		enrollmentId: null,
		nodeId: 'email',
		channel: 'email',
		status: 'clicked',
		sent: true,
		sentAt: BASE,
		customerId: customerIds[0]!,
		events: [],
		test: true
	});
	return sc;
}

/** Every rollup row of the journey, zero rows left behind by moves (variant, here) aside, in one order. */
export async function rollupRows(db: DbHandle, journeyId: string) {
	const read = async (query: ReturnType<typeof sql>) => {
		const result = await db.db.execute(query);
		const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as Record<string, unknown>[];
		return rows.map((r) => JSON.stringify(r)).sort();
	};
	return {
		steps: await read(
			sql`select version, variant, day::text, node_id, metric, key, visits::text, customers::text, amount::text from analytics_step_daily
				where journey_id = ${journeyId} and (visits <> 0 or customers <> 0 or amount <> 0)`
		),
		conversions:
			await read(sql`select enrollment_id, version, variant, customer_id, node_id, event_id, event_name, revenue::text, entered_at::text, converted_at::text
			from analytics_conversions where journey_id = ${journeyId}`),
		paths: await read(sql`select version, variant, day::text, path, customers::text, converted::text from analytics_paths where journey_id = ${journeyId}`),
		engagement: await read(
			sql`select version, variant, day::text, node_id, channel, stage, messages::text from analytics_engagement_daily where journey_id = ${journeyId} and messages <> 0`
		),
		reached: await read(sql`select message_id, enrollment_id, node_id, channel, stages from analytics_message_reached where journey_id = ${journeyId}`)
	};
}
