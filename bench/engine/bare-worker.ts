/**
 * The bare worker process of `npm run bench:engine` (`node --import tsx bench/engine/bare-worker.ts`): the same
 * Temporal SDK, connection and activity concurrency as ours (worker/worker.ts), serving only bare-workflow.ts. Like
 * our worker process, which routes entry events to new enrollments, it starts the workflows itself: the benchmark
 * sends it the ids to start (IPC), and it starts them with a client of its own, as our worker process routes (32 in
 * flight; ours bounds its own).
 */
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import postgres from 'postgres';
import { BARE_TABLE_DDL, bareActivities } from './bare-activities';
import { bareEnrollment } from './bare-workflow';

/** What the benchmark asks: start these workflows; the worker answers `{ started: n }` when all are started. */
export type BareStartRequest = { start: string[]; waitDays: number };
const STARTS_IN_FLIGHT = 32;

const { TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE = 'default', TEMPORAL_TASK_QUEUE, DATABASE_URL } = process.env;
if (!TEMPORAL_ADDRESS || !TEMPORAL_TASK_QUEUE || !DATABASE_URL) throw new Error('TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE and DATABASE_URL are required');
const taskQueue = TEMPORAL_TASK_QUEUE;

const sql = postgres(DATABASE_URL, { max: 10, onnotice: () => {} });
await sql.unsafe(BARE_TABLE_DDL);
const connection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
const worker = await Worker.create({
	connection,
	namespace: TEMPORAL_NAMESPACE,
	taskQueue,
	workflowsPath: fileURLToPath(new URL('./bare-workflow.ts', import.meta.url)),
	activities: bareActivities(sql),
	maxConcurrentActivityTaskExecutions: 50
});
const client = new Client({ connection: await Connection.connect({ address: TEMPORAL_ADDRESS }), namespace: TEMPORAL_NAMESPACE });

process.on('message', (request: BareStartRequest) => {
	let next = 0;
	void Promise.all(
		Array.from({ length: STARTS_IN_FLIGHT }, async () => {
			while (next < request.start.length) {
				const id = request.start[next++]!;
				await client.workflow.start(bareEnrollment, {
					workflowId: id,
					taskQueue,
					args: [id, request.waitDays, { event: 'Bench Entered' }],
					workflowIdReusePolicy: 'REJECT_DUPLICATE'
				});
			}
		})
	).then(
		() => process.send?.({ started: request.start.length }),
		(err: unknown) => {
			console.error(err);
			process.exit(1);
		}
	);
});

console.log(`bare worker polling task queue "${taskQueue}"`);
await worker.run();
process.disconnect?.(); // the IPC channel would keep the process alive
await client.connection.close();
await connection.close();
await sql.end({ timeout: 5 });
