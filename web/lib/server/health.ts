import proto from '@temporalio/proto'; // CommonJS: no named exports under Node's ESM loader
import type { Principal } from '$core/auth/accounts';
import { inboxBacklog, type InboxBacklog } from '$core/ingest/index';
import { withTemporalDeadline } from '$core/temporal/connection';
import { appEnv, database, temporal } from './context';

export type ComponentHealth = { ok: boolean; detail: string; latencyMs?: number };
/**
 * The ingest pipeline between the API's answer and the journeys: messages waiting for the processor, dead letters,
 * processed events not yet routed, and the age of the oldest event not yet routed. `ok` is false once the backlog
 * reaches INGEST_MAX_BACKLOG (ingest answers 429 then); it does not make the whole check fail, since nothing is down.
 */
export type IngestHealth = InboxBacklog & { ok: boolean; maxBacklog: number | null };
export type Health = { ok: boolean; database: ComponentHealth; temporal: ComponentHealth; worker: ComponentHealth; ingest: IngestHealth | null };

/** Addresses, task queues and error text are for signed-in admins; anyone else (load balancers too) gets this much. */
export function healthDetailsAllowed(principal: Principal | null | undefined): boolean {
	return principal?.kind === 'user' && principal.user.role === 'admin';
}

function redact(c: ComponentHealth): ComponentHealth {
	return { ok: c.ok, detail: c.ok ? 'operational' : 'unavailable', latencyMs: c.latencyMs };
}

/** Each component answers within this, whatever is down, so the whole check stays under 2 s (load balancers poll it). */
export const HEALTH_COMPONENT_TIMEOUT_MS = 1_500;

async function timed(fn: () => Promise<string>): Promise<ComponentHealth> {
	const t0 = performance.now();
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_COMPONENT_TIMEOUT_MS} ms`)), HEALTH_COMPONENT_TIMEOUT_MS);
	});
	try {
		const detail = await Promise.race([fn(), timeout]);
		return { ok: true, detail, latencyMs: Math.round(performance.now() - t0) };
	} catch (err) {
		return { ok: false, detail: err instanceof Error ? err.message : String(err), latencyMs: Math.round(performance.now() - t0) };
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Database round-trip, Temporal namespace answering, at least one worker polling our task queue, and the ingest
 * backlog. Without `detailed`, component details are generic (no addresses, task queue names or error text).
 */
export async function checkHealth(o: { detailed?: boolean } = {}): Promise<Health> {
	const env = appEnv();
	let backlog: InboxBacklog | null = null;
	const [db, tmp, worker] = await Promise.all([
		timed(async () => {
			const h = await database();
			await h.ping();
			backlog = await inboxBacklog(h.db).catch(() => null);
			return h.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL';
		}),
		timed(async () => {
			const client = await temporal();
			await withTemporalDeadline(client, HEALTH_COMPONENT_TIMEOUT_MS, () => client.workflowService.describeNamespace({ namespace: env.TEMPORAL_NAMESPACE }));
			return `${env.TEMPORAL_ADDRESS} / ${env.TEMPORAL_NAMESPACE}`;
		}),
		timed(async () => {
			const client = await temporal();
			const res = await withTemporalDeadline(client, HEALTH_COMPONENT_TIMEOUT_MS, () =>
				client.workflowService.describeTaskQueue({
					namespace: env.TEMPORAL_NAMESPACE,
					taskQueue: { name: env.TEMPORAL_TASK_QUEUE },
					taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
				})
			);
			const pollers = res.pollers?.length ?? 0;
			if (pollers === 0) throw new Error(`no worker polling task queue "${env.TEMPORAL_TASK_QUEUE}"`);
			return `${pollers} poller(s) on "${env.TEMPORAL_TASK_QUEUE}"`;
		})
	]);
	const max = env.INGEST_MAX_BACKLOG || null;
	const ingest = backlog ? { ...(backlog as InboxBacklog), ok: max === null || (backlog as InboxBacklog).waiting < max, maxBacklog: max } : null;
	const show = o.detailed ? (c: ComponentHealth) => c : redact;
	return { ok: db.ok && tmp.ok && worker.ok, database: show(db), temporal: show(tmp), worker: show(worker), ingest };
}
