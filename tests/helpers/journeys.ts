import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { asc, eq } from 'drizzle-orm';
import type { DbHandle } from '../../core/db/client';
import { customers } from '../../core/db/schema/customers';
import { events } from '../../core/db/schema/events';
import { journeys, journeyVersions, stepLog } from '../../core/db/schema/journeys';
import type { JourneyDefinition } from '../../core/graph/definition';
import { parseJourney } from '../../core/graph/validate';
import { createRouter, type LiveJourney, type Router } from '../../core/routing/index';
import { loadEnv } from '../../core/config/env';
import { activityDepsFromEnv, createActivities } from '../../worker/activities/index';
import { workflowsPath } from '../../worker/worker';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundling the interpreter takes seconds: once per test file. */
export function journeyBundle(): Promise<WorkflowBundleWithSourceMap> {
	bundle ??= bundleWorkflowCode({ workflowsPath, logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } });
	return bundle;
}

/** A worker with the real activities on `db`, on its own task queue. */
export async function journeyWorker(connection: Worker['options']['connection'] & object, db: DbHandle, taskQueue: string): Promise<Worker> {
	return Worker.create({
		connection,
		taskQueue,
		workflowBundle: await journeyBundle(),
		activities: createActivities(activityDepsFromEnv(loadEnv({ APP_SECRET: 'test-secret' }), db.db))
	});
}

/** Stores the definition as a published, active journey (validated first, as publishing does). */
export async function publishTestJourney(db: DbHandle, def: JourneyDefinition, name = 'Test journey'): Promise<LiveJourney> {
	const definition = parseJourney(def);
	const id = randomUUID();
	await db.db.insert(journeys).values({ id, name, status: 'active', draft: definition, liveVersion: 1 });
	await db.db.insert(journeyVersions).values({ journeyId: id, version: 1, definition });
	return { journeyId: id, version: 1, definition };
}

export async function insertCustomer(
	db: DbHandle,
	fields: { traits?: Record<string, unknown>; timezone?: string; consent?: typeof customers.$inferInsert.consent } = {}
): Promise<string> {
	const id = randomUUID();
	await db.db.insert(customers).values({ id, traits: fields.traits ?? {}, timezone: fields.timezone ?? null, consent: fields.consent ?? {} });
	return id;
}

/** Stores a track event as ingest would, and returns its row for routing. */
export async function storeEvent(db: DbHandle, customerId: string, name: string, properties: Record<string, unknown> = {}, at = new Date()) {
	const [row] = await db.db
		.insert(events)
		.values({ id: randomUUID(), messageId: randomUUID(), type: 'track', name, customerId, properties, timestamp: at, receivedAt: at })
		.returning();
	return row!;
}

export function testRouter(db: DbHandle, temporal: Client, taskQueue: string): Router {
	return createRouter({ db: db.db, temporal, taskQueue });
}

export async function stepsOf(db: DbHandle, enrollmentId: string) {
	return db.db.select().from(stepLog).where(eq(stepLog.enrollmentId, enrollmentId)).orderBy(asc(stepLog.at), asc(stepLog.id));
}

/** A minimal valid definition around the given steps: trigger → steps… → exit, in a line. */
export function linearJourney(
	trigger: JourneyDefinition['nodes'][number],
	steps: JourneyDefinition['nodes'],
	settings: Partial<JourneyDefinition['settings']> = {}
): JourneyDefinition {
	const nodes = [trigger, ...steps, { id: 'exit', type: 'exit' as const }];
	return {
		schemaVersion: 1,
		nodes,
		edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id })),
		settings: { reentry: { mode: 'never' }, exitCriteria: [], ...settings }
	};
}
