import type { DbHandle } from '../../../core/db/client';
import { customers, identities, type IdentityKind } from '../../../core/db/schema/customers';
import { enrollments, stepLog, type EnrollmentStatus } from '../../../core/db/schema/journeys';
import type { JourneyDefinition } from '../../../core/graph/definition';

/** A valid journey with a step to stay on (a day's wait), so enrollments can be shown "at" a labelled step. */
export function waitingJourney(): JourneyDefinition {
	return {
		schemaVersion: 1,
		nodes: [
			{ id: 'trigger', type: 'trigger', label: 'Entered by hand', entry: { kind: 'manual' } },
			{ id: 'wait', type: 'wait', label: 'Give it a day', mode: 'duration', duration: { amount: 1, unit: 'days' } },
			{ id: 'exit', type: 'exit', label: 'Done' }
		],
		edges: [
			{ id: 'e1', source: 'trigger', target: 'wait' },
			{ id: 'e2', source: 'wait', target: 'exit' }
		],
		settings: { reentry: { mode: 'never' }, exitCriteria: [] }
	};
}

/** The same graph with the wait step's output left unwired, so the exit is unreachable too. */
export function brokenJourney(): JourneyDefinition {
	const def = waitingJourney();
	return { ...def, edges: def.edges.filter((e) => e.id !== 'e2') };
}

export async function addCustomer(
	h: DbHandle,
	id: string,
	ids: { kind: IdentityKind; value: string }[] = [],
	extra: Partial<typeof customers.$inferInsert> = {}
): Promise<void> {
	await h.db.insert(customers).values({ id, ...extra });
	if (ids.length) await h.db.insert(identities).values(ids.map((i) => ({ ...i, customerId: id })));
}

export async function addEnrollment(
	h: DbHandle,
	e: { journeyId: string; customerId: string; version?: number; n?: number; status?: EnrollmentStatus; currentNodeId?: string; enteredAt?: Date }
): Promise<string> {
	const n = e.n ?? 1;
	const id = `journey:${e.journeyId}:${e.customerId}:${n}`;
	// An enrollment references its customer: suites that only name one get an empty profile.
	await h.db.insert(customers).values({ id: e.customerId }).onConflictDoNothing();
	await h.db.insert(enrollments).values({
		id,
		journeyId: e.journeyId,
		customerId: e.customerId,
		n,
		version: e.version ?? 1,
		status: e.status ?? 'active',
		currentNodeId: e.currentNodeId ?? null,
		enteredAt: e.enteredAt ?? new Date()
	});
	return id;
}

export async function addStep(
	h: DbHandle,
	enrollmentId: string,
	journeyId: string,
	customerId: string,
	nodeId: string,
	at: Date,
	kind: 'entered' | 'completed' = 'entered'
): Promise<void> {
	await h.db.insert(stepLog).values({ enrollmentId, journeyId, version: 1, customerId, nodeId, kind, at });
}
