import proto from '@temporalio/proto'; // CommonJS: no named exports under Node's ESM loader
import { appEnv, database, temporal } from './context';

export type ComponentHealth = { ok: boolean; detail: string; latencyMs?: number };
export type Health = { ok: boolean; database: ComponentHealth; temporal: ComponentHealth; worker: ComponentHealth };

async function timed(fn: () => Promise<string>): Promise<ComponentHealth> {
	const t0 = performance.now();
	try {
		const detail = await fn();
		return { ok: true, detail, latencyMs: Math.round(performance.now() - t0) };
	} catch (err) {
		return { ok: false, detail: err instanceof Error ? err.message : String(err) };
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
			await client.workflowService.describeNamespace({ namespace: env.TEMPORAL_NAMESPACE });
			return `${env.TEMPORAL_ADDRESS} / ${env.TEMPORAL_NAMESPACE}`;
		}),
		timed(async () => {
			const client = await temporal();
			const res = await client.workflowService.describeTaskQueue({
				namespace: env.TEMPORAL_NAMESPACE,
				taskQueue: { name: env.TEMPORAL_TASK_QUEUE },
				taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
			});
			const pollers = res.pollers?.length ?? 0;
			if (pollers === 0) throw new Error(`no worker polling task queue "${env.TEMPORAL_TASK_QUEUE}"`);
			return `${pollers} poller(s) on "${env.TEMPORAL_TASK_QUEUE}"`;
		})
	]);
	return { ok: db.ok && tmp.ok && worker.ok, database: db, temporal: tmp, worker };
}
