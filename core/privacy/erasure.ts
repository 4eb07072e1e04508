import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { loadRecipient } from '../channels/recipients';
import type { AdNetwork, AudienceProvider } from '../channels/types';
import type { Db } from '../db/client';
import { enrollments } from '../db/schema/journeys';
import { messages } from '../db/schema/messages';
import { eraseCustomer } from '../identity/erase';
import { customerFamily, survivorOf } from '../identity/lookup';
import { recordAudit, type AuditActor } from './audit';
import { privacyHashKey } from './keyed-hash';

/**
 * Erasing a person everywhere, in the order that leaves nothing behind:
 *
 * 1. **Temporal.** Every run of every enrollment workflow of the person (ids `journey:<journeyId>:<customerId>:<n>`,
 *    see core/enrollment/contract.ts; continue-as-new makes several runs) is deleted with DeleteWorkflowExecution:
 *    history and visibility go, with the entry event's properties and the signals they hold. A running workflow is
 *    terminated and dropped at once; a closed run's deletion is queued by the server (measured: about 35 s on the
 *    dev server), so it stays readable in the Temporal UI until then. What may remain: runs that visibility did
 *    not list yet (started within the last moments) until the namespace's retention after they close (the dev
 *    server's default namespace keeps closed workflows 24 hours; a cluster or Temporal Cloud namespace 1–90 days,
 *    as configured), and anything a namespace with history archival enabled archived before — outside our reach,
 *    so do not enable archival for this namespace. An activity already running when the workflow is terminated
 *    finishes, and finds the person erased.
 * 2. **Ad audiences.** Every audience the person was last added to (Meta, Google) gets a remove call with their
 *    identifiers, before we forget them. A provider that fails stops the erasure before anything is scrubbed:
 *    the caller retries (everything here is idempotent).
 * 3. **The database**, in one transaction: core/identity/erase.ts, which lists every table and why.
 * 4. **The audit log** records who erased which customer id (and nothing about the person).
 */

export type ErasureDeps = {
	db: Db;
	temporal: Client;
	audiences: Record<AdNetwork, AudienceProvider>;
};

export type ErasureReport = {
	/** The live customer id and every profile merged into it. */
	erased: string[];
	workflows: { terminated: number; deletedRuns: number };
	audiencesRemoved: Array<{ network: AdNetwork; audienceId: string }>;
};

/** A provider (or Temporal) failed: nothing was scrubbed yet, and the same request can be sent again. */
export class ErasureIncompleteError extends Error {
	override name = 'ErasureIncompleteError';
}

/** Erases the person; null for an unknown or already erased customer. */
export async function erasePerson(deps: ErasureDeps, customerId: string, opts: { actor?: AuditActor; at?: Date } = {}): Promise<ErasureReport | null> {
	const { db } = deps;
	const root = await survivorOf(db, customerId);
	if (!root) return null;
	const hashKey = privacyHashKey();
	if (!hashKey) throw new Error('Set PRIVACY_HASH_KEY (or APP_SECRET): erasure keeps suppressed addresses as keyed hashes.');
	const cluster = await customerFamily(db, root);
	const at = opts.at ?? new Date();

	const workflows = await endWorkflows(deps, cluster, at);
	const audiencesRemoved = await leaveAudiences(deps, root, cluster);
	const erased = await eraseCustomer(db, root, { hashKey, at });
	if (erased.length === 0) return null; // erased by someone else meanwhile
	if (opts.actor)
		await recordAudit(
			db,
			opts.actor,
			{
				action: 'customer.erase',
				targetType: 'customer',
				targetId: root,
				details: { profiles: erased.length, ...workflows, audiencesRemoved: audiencesRemoved.length }
			},
			at
		);
	return { erased, workflows, audiencesRemoved };
}

const GRPC_NOT_FOUND = 5;

async function endWorkflows(deps: ErasureDeps, cluster: string[], at: Date): Promise<ErasureReport['workflows']> {
	const { db, temporal } = deps;
	const rows = await db.select({ id: enrollments.id, status: enrollments.status }).from(enrollments).where(inArray(enrollments.customerId, cluster));
	let terminated = 0;
	let deletedRuns = 0;
	try {
		for (const { id } of rows) {
			const handle = temporal.workflow.getHandle(id);
			const running = await handle
				.describe()
				.then((d) => d.status.name === 'RUNNING')
				.catch((err: unknown) => {
					if (err instanceof WorkflowNotFoundError) return false; // long gone, or never started
					throw err;
				});
			// Deleting the current run of a running workflow terminates it and drops it at once; closed runs (earlier
			// runs of a continue-as-new chain, finished enrollments) are queued for deletion by the server.
			const runs: Array<string | undefined> = [undefined];
			for await (const run of temporal.workflow.list({ query: `WorkflowId = '${id.replace(/'/g, "\\'")}'` })) runs.push(run.runId);
			for (const runId of new Set(runs)) {
				try {
					await temporal.workflowService.deleteWorkflowExecution({ namespace: temporal.options.namespace, workflowExecution: { workflowId: id, runId } });
					deletedRuns++;
				} catch (err) {
					if ((err as { code?: unknown }).code !== GRPC_NOT_FOUND) throw err;
				}
			}
			if (running) terminated++;
		}
	} catch (err) {
		throw new ErasureIncompleteError(`Temporal: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
	}
	// Terminated workflows record nothing more: the rows say why they ended.
	await db
		.update(enrollments)
		.set({ status: 'exited', endedAt: at, exitReason: 'customer erased' })
		.where(and(inArray(enrollments.customerId, cluster), eq(enrollments.status, 'active')));
	return { terminated, deletedRuns: deletedRuns };
}

async function leaveAudiences(deps: ErasureDeps, root: string, cluster: string[]): Promise<ErasureReport['audiencesRemoved']> {
	const synced = await deps.db
		.select({ meta: messages.meta, status: messages.status })
		.from(messages)
		.where(and(inArray(messages.customerId, cluster), eq(messages.channel, 'ads'), inArray(messages.status, ['sent', 'queued', 'delivered'])))
		.orderBy(asc(messages.createdAt));
	// The last accepted change per audience says whether the person is in it.
	const last = new Map<string, { network: AdNetwork; audienceId: string; action: string }>();
	for (const { meta } of synced) {
		const { network, audienceId, action } = meta as { network?: AdNetwork; audienceId?: string; action?: string };
		if (network && audienceId && action && deps.audiences[network]) last.set(`${network}:${audienceId}`, { network, audienceId, action });
	}
	const member = await loadRecipient(deps.db, root);
	const removed: ErasureReport['audiencesRemoved'] = [];
	if (!member || member.emails.length + member.phones.length === 0) return removed;
	for (const { network, audienceId, action } of last.values()) {
		if (action !== 'add') continue;
		try {
			await deps.audiences[network].sync({ audienceId, action: 'remove', member: { emails: member.emails, phones: member.phones }, consent: 'denied' });
		} catch (err) {
			throw new ErasureIncompleteError(`${network} audience ${audienceId}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
		}
		removed.push({ network, audienceId });
	}
	return removed;
}
