import { randomUUID } from 'node:crypto';
import type { Principal } from '$core/auth/index';
import type { Db } from '$core/db/client';
import {
	activeEnrollmentIds,
	getEnrollment,
	getJourney,
	publish,
	resolveCustomer,
	setArchived,
	setStatus,
	type EnrollmentDetail,
	type ManualEntryInput,
	type PublishResult,
	type StatusAction,
	type StopMode
} from '$core/journeys/index';
import { enrol, exitEnrollments, type EnrolResult } from '$core/routing/index';
import { stateQuery, type JourneyEvent, type PathEntry } from '$core/enrollment/contract';
import { actorOf as auditActor } from '$core/privacy/audit';
import { appEnv, temporal } from './context';
import { router } from './router';
import { syncSchedule } from './schedules';

/**
 * Journey operations that reach beyond the database (routing's trigger cache, Temporal), shared by the JSON API
 * and the journeys pages so both behave the same.
 */

/** Who asks, for the audit log (core/privacy/audit.ts): every publish, status change and archive here records one row. */
export type Who = { principal: Principal | null; ip?: string | null };

/** Who did it, as recorded on a published version. */
export function actorOf(principal: Principal | null): string | null {
	if (!principal) return null;
	return principal.kind === 'user' ? principal.user.email : `key:${principal.name}`;
}

/**
 * Routing keeps live journeys in a short-lived cache; after publishing or a status change this process must
 * route by the new state at once. Unreachable Temporal means no router yet, so nothing is cached to drop.
 */
async function refreshRouting(): Promise<void> {
	try {
		(await router()).triggers.invalidate();
	} catch {
		/* nothing cached */
	}
}

export async function publishJourney(db: Db, id: string, principal: Principal | null, ip?: string | null): Promise<PublishResult> {
	const result = await publish(db, id, { publishedBy: actorOf(principal), actor: auditActor(principal, ip) });
	await refreshRouting();
	await syncSchedule(db, id); // a scheduled trigger's Temporal Schedule follows the live version
	return result;
}

export type StatusChange = Awaited<ReturnType<typeof setStatus>> & { ended: number; endError?: string };

/** Pause, resume or stop; `end` also ends every enrollment still inside (their workflows record why). */
export async function changeStatus(db: Db, id: string, action: StatusAction, who: Who, mode: StopMode = 'drain'): Promise<StatusChange> {
	const change = await setStatus(db, id, action, { actor: auditActor(who.principal, who.ip) });
	await refreshRouting();
	await syncSchedule(db, id); // paused with the journey, deleted when it stops
	if (action !== 'stop' || mode !== 'end') return { ...change, ended: 0 };
	const ids = await activeEnrollmentIds(db, id);
	try {
		return { ...change, ended: await exitEnrollments(await router(), ids, 'journey stopped') };
	} catch (err) {
		// The stop itself holds; repeating "stop and end" ends whoever is still inside.
		return { ...change, ended: 0, endError: err instanceof Error ? err.message : String(err) };
	}
}

/** Archive or bring back (see core/journeys setArchived), recorded in the audit log. */
export async function archiveJourney(db: Db, id: string, archived: boolean, who: Who) {
	const change = await setArchived(db, id, archived, { actor: auditActor(who.principal, who.ip) });
	await syncSchedule(db, id); // an archived journey has no schedule; brought back (paused), it has a paused one
	return change;
}

export type EntryRefusal = Extract<EnrolResult, { enrolled: false }>['reason'] | 'journey_not_active';
export type ManualEntryResult = { ok: true; enrollmentId: string; n: number } | { ok: false; reason: EntryRefusal; message: string };

const refusalMessages: Record<EntryRefusal, string> = {
	journey_not_active: 'This journey is not live: publish or resume it first.',
	already_enrolled: 'This customer is already in this journey.',
	reentry_not_allowed: 'This customer has already been through this journey, and its settings do not let them enter again yet.',
	outside_entry_window: 'This journey is outside its entry window.',
	journey_full: 'This journey has as many customers inside as its settings allow.'
};

const refused = (reason: EntryRefusal): ManualEntryResult => ({ ok: false, reason, message: refusalMessages[reason] });

/** Temporal could not be reached to start the enrollment's workflow; the same request can be sent again. */
export class EntryUnavailableError extends Error {
	override name = 'EntryUnavailableError';
}

/**
 * Puts one customer into the journey's live version by hand (UI) or through the API, as if a trigger fired.
 * `idempotencyKey` names the entry: sending it again after a failure finishes that entry instead of being refused
 * as "already enrolled" (the enrollment row is written before its workflow starts).
 */
export async function enterManually(db: Db, journeyId: string, input: ManualEntryInput, idempotencyKey?: string): Promise<ManualEntryResult> {
	const journey = await getJourney(db, journeyId);
	if (journey.status !== 'active' || journey.liveVersion === null) return refused('journey_not_active');
	const customerId = await resolveCustomer(db, input);
	const event: JourneyEvent = {
		id: `manual:${idempotencyKey ?? randomUUID()}`,
		name: '$manual_entry',
		properties: input.properties ?? {},
		timestamp: Date.now()
	};
	let result: EnrolResult;
	try {
		const r = await router();
		let live = (await r.triggers.get()).byId.get(journeyId);
		// Published or resumed by another process within the cache's lifetime: look again rather than refuse.
		if (live?.version !== journey.liveVersion) {
			r.triggers.invalidate();
			live = (await r.triggers.get()).byId.get(journeyId);
		}
		if (!live) return refused('journey_not_active');
		result = await enrol(r, live, customerId, event);
	} catch (err) {
		throw new EntryUnavailableError(err instanceof Error ? err.message : String(err), { cause: err });
	}
	return result.enrolled ? { ok: true, enrollmentId: result.enrollmentId, n: result.n } : refused(result.reason);
}

/** Where the customer is: from the running workflow when it answers, else from the recorded steps. */
export type EnrollmentState = {
	source: 'workflow' | 'step_log';
	status: string;
	currentNodeId: string | null;
	currentStepLabel: string | null;
	path: (PathEntry & { stepLabel: string })[];
};

const QUERY_DEADLINE_MS = 3_000;

export async function enrollmentWithState(db: Db, journeyId: string, enrollmentId: string): Promise<EnrollmentDetail & { state: EnrollmentState }> {
	const detail = await getEnrollment(db, journeyId, enrollmentId);
	const label = (nodeId: string) => detail.labels[nodeId] ?? nodeId;
	try {
		const client = await temporal();
		// Bounded: with no worker polling, a query would otherwise wait for one.
		const view = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => client.workflow.getHandle(enrollmentId).query(stateQuery));
		const state: EnrollmentState = {
			source: 'workflow',
			status: view.status,
			currentNodeId: view.currentNodeId,
			currentStepLabel: label(view.currentNodeId),
			path: view.path.map((p) => ({ ...p, stepLabel: label(p.nodeId) }))
		};
		return { ...detail, state };
	} catch {
		// Finished and gone from Temporal's retention, never started, or Temporal unreachable: the log still knows.
		const { enrollment, steps } = detail;
		const state: EnrollmentState = {
			source: 'step_log',
			status: enrollment.status,
			currentNodeId: enrollment.currentNodeId,
			currentStepLabel: enrollment.currentStepLabel,
			path: steps
				.filter((s) => s.kind === 'entered')
				.map((s) => ({ nodeId: s.nodeId, at: s.at.getTime(), ...(s.branch ? { branch: s.branch } : {}), stepLabel: s.stepLabel }))
		};
		return { ...detail, state };
	}
}

/** The enrollment's workflow in Temporal's web UI, when TEMPORAL_UI_URL is configured. */
export function temporalUiLink(enrollmentId: string): string | null {
	const env = appEnv();
	if (!env.TEMPORAL_UI_URL) return null;
	return `${env.TEMPORAL_UI_URL.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(enrollmentId)}`;
}
