import { and, desc, eq, sql } from 'drizzle-orm';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { insertRowsReturning } from '../db/json-rows';
import { enrollments, journeyVersions, type Enrollment } from '../db/schema/journeys';
import { parseJourney } from '../graph/validate';
import { durationToMs } from '../graph/time';
import { INTERPRETER_VERSION, JOURNEY_WORKFLOW, enrollmentWorkflowId, type JourneyEvent, type JourneyInput } from '../enrollment/contract';
import type { JourneyDefinition } from '../graph/definition';
import type { LiveJourney } from './triggers';

export type RoutingDeps = { db: Db; temporal: Client; taskQueue: string };

export type EnrolResult =
	| { enrolled: true; enrollmentId: string; n: number; resumed: boolean }
	| { enrolled: false; reason: 'outside_entry_window' | 'already_enrolled' | 'reentry_not_allowed' | 'journey_full' };

/**
 * Puts a customer into a journey's live version, unless its settings say no (entry window, re-entry, capacity).
 * The enrollment row is written first and the workflow started under a deterministic id (the entry event is in
 * its input), so a duplicate entry event, or a retry after Temporal was down, can never enrol twice.
 */
export async function enrol(
	deps: RoutingDeps,
	live: LiveJourney,
	customerId: string,
	entry: JourneyEvent,
	now = new Date(),
	/** The customer's latest enrollment in this journey (null: none), when the caller read it already (a routing batch). */
	known?: { last: Enrollment | null }
): Promise<EnrolResult> {
	const { settings } = live.definition;
	const window = settings.entryWindow;
	if ((window?.start && now < new Date(window.start)) || (window?.end && now >= new Date(window.end)))
		return { enrolled: false, reason: 'outside_entry_window' };

	const last = known
		? (known.last ?? undefined)
		: (
				await deps.db
					.select()
					.from(enrollments)
					.where(and(eq(enrollments.journeyId, live.journeyId), eq(enrollments.customerId, customerId)))
					.orderBy(desc(enrollments.n))
					.limit(1)
			)[0];
	// The same entry event again (a routing retry): finish what the first attempt started.
	if (last && last.entryEventId === entry.id) return start(deps, live, customerId, last.n, last.version, entry, true);
	if (last?.status === 'active') {
		// An active row whose workflow never started (Temporal failed after the insert, and this is a different
		// entry): start it now rather than leave the customer stuck outside every future entry.
		if (await workflowExists(deps, last.id)) return { enrolled: false, reason: 'already_enrolled' };
		await deps.db.update(enrollments).set({ entryEventId: entry.id }).where(eq(enrollments.id, last.id));
		return start(deps, live, customerId, last.n, last.version, entry, true);
	}
	if (last) {
		const reentry = settings.reentry;
		if (reentry.mode === 'never') return { enrolled: false, reason: 'reentry_not_allowed' };
		if (reentry.mode === 'afterPeriod' && now.getTime() < last.enteredAt.getTime() + durationToMs(reentry.period)) {
			return { enrolled: false, reason: 'reentry_not_allowed' };
		}
	}
	if (settings.maxConcurrentEnrollments !== undefined) {
		const [{ active }] = (await deps.db
			.select({ active: sql<number>`count(*)::int` })
			.from(enrollments)
			.where(and(eq(enrollments.journeyId, live.journeyId), eq(enrollments.status, 'active')))) as [{ active: number }];
		if (active >= settings.maxConcurrentEnrollments) return { enrolled: false, reason: 'journey_full' };
	}

	const n = (last?.n ?? 0) + 1;
	const inserted = await insertRowsReturning(
		deps.db,
		enrollments,
		[
			{
				id: enrollmentWorkflowId(live.journeyId, customerId, n),
				journeyId: live.journeyId,
				version: live.version,
				customerId,
				n,
				entryEventId: entry.id,
				enteredAt: now,
				currentNodeId: null
			}
		],
		{ onConflict: sql`do nothing` }
	);
	if (inserted.length === 0) return { enrolled: false, reason: 'already_enrolled' }; // a concurrent entry won
	return start(deps, live, customerId, n, live.version, entry, false);
}

async function start(
	deps: RoutingDeps,
	live: LiveJourney,
	customerId: string,
	n: number,
	version: number,
	entry: JourneyEvent,
	resumed: boolean
): Promise<EnrolResult> {
	const enrollmentId = enrollmentWorkflowId(live.journeyId, customerId, n);
	// A retry must start the version the row pinned, even if a newer one was published since.
	const definition = version === live.version ? live.definition : await pinnedDefinition(deps.db, live.journeyId, version);
	const input: JourneyInput = {
		interpreterVersion: INTERPRETER_VERSION,
		ref: { enrollmentId, journeyId: live.journeyId, version, customerId },
		definition,
		entryEvent: entry
	};
	try {
		await deps.temporal.workflow.start(JOURNEY_WORKFLOW, {
			workflowId: enrollmentId,
			taskQueue: deps.taskQueue,
			args: [input],
			workflowIdReusePolicy: 'REJECT_DUPLICATE'
		});
	} catch (err) {
		if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
	}
	return { enrolled: true, enrollmentId, n, resumed };
}

async function pinnedDefinition(db: Db, journeyId: string, version: number): Promise<JourneyDefinition> {
	const [row] = await db
		.select({ definition: journeyVersions.definition })
		.from(journeyVersions)
		.where(and(eq(journeyVersions.journeyId, journeyId), eq(journeyVersions.version, version)));
	if (!row) throw new Error(`journey ${journeyId} has no version ${version}`);
	return parseJourney(row.definition);
}

async function workflowExists(deps: RoutingDeps, workflowId: string): Promise<boolean> {
	try {
		await deps.temporal.workflow.getHandle(workflowId).describe();
		return true;
	} catch (err) {
		if (err instanceof WorkflowNotFoundError) return false;
		throw err;
	}
}
