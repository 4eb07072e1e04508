/**
 * The bare worker process of `npm run bench:engine` (`node --import tsx bench/engine/bare-worker.ts`): the same
 * Temporal SDK, connection and activity concurrency as ours (worker/worker.ts), serving only bare-workflow.ts.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import postgres from 'postgres';
import { BARE_TABLE_DDL, bareActivities } from './bare-activities';

const { TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE = 'default', TEMPORAL_TASK_QUEUE, DATABASE_URL } = process.env;
if (!TEMPORAL_ADDRESS || !TEMPORAL_TASK_QUEUE || !DATABASE_URL) throw new Error('TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE and DATABASE_URL are required');

const sql = postgres(DATABASE_URL, { max: 10, onnotice: () => {} });
await sql.unsafe(BARE_TABLE_DDL);
const connection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
const worker = await Worker.create({
	connection,
	namespace: TEMPORAL_NAMESPACE,
	taskQueue: TEMPORAL_TASK_QUEUE,
	workflowsPath: fileURLToPath(new URL('./bare-workflow.ts', import.meta.url)),
	activities: bareActivities(sql),
	maxConcurrentActivityTaskExecutions: 50
});
console.log(`bare worker polling task queue "${TEMPORAL_TASK_QUEUE}"`);
await worker.run();
await connection.close();
await sql.end({ timeout: 5 });
