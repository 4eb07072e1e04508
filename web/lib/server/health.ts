import proto from '@temporalio/proto'; // CommonJS: no named exports under Node's ESM loader
import { withTemporalDeadline } from '$core/temporal/connection';
import { appEnv, database, temporal } from './context';

export type ComponentHealth = { ok: boolean; detail: string; latencyMs?: number };
export type Health = { ok: boolean; database: ComponentHealth; temporal: ComponentHealth; worker: ComponentHealth };

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

/** Database round-trip, Temporal namespace answering, and at least one worker polling our task queue. */
export async function checkHealth(): Promise<Health> {
	const env = appEnv();
	const [db, tmp, worker] = await Promise.all([
		timed(async () => {
			const h = await database();
			await h.ping();
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
	return { ok: db.ok && tmp.ok && worker.ok, database: db, temporal: tmp, worker };
}
