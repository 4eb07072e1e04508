import { resolve } from 'node:path';
import { inject } from 'vitest';
import { createUser } from '../../core/auth/accounts';
import { loadEnv } from '../../core/config/env';
import { registerSharedDb, type DbHandle } from '../../core/db/client';
import type { Role } from '../../core/db/schema/auth';
import { startProduct, type RunningProduct } from '../../scripts/product';
import type {} from './temporal';
import { freshDb, type TestDbKind } from './db';

export const TEST_PASSWORD = 'correct horse battery staple';

export type TestProduct = RunningProduct & { db: DbHandle; taskQueue: string };

/**
 * The whole product (worker + built web app) in this test process, on a fresh database and the run's shared
 * Temporal dev server, through the same boot path as `npm start`. Each call gets its own task queue so suites
 * never pick up each other's workflows.
 */
export async function startTestProduct(kind: TestDbKind = 'pglite'): Promise<TestProduct> {
	const temporal = inject('temporal');
	const db = await freshDb(kind);
	registerSharedDb(db);
	const taskQueue = `test-${Math.random().toString(36).slice(2, 10)}`;
	Object.assign(process.env, { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, TEMPORAL_TASK_QUEUE: taskQueue, APP_SECRET: 'test-secret' });
	const env = loadEnv();
	const product = await startProduct({ root: resolve(import.meta.dirname, '../..'), env, db, temporalAddress: temporal.address, port: 0, log: () => {} });
	return {
		...product,
		db,
		taskQueue,
		async stop() {
			await product.stop();
			await db.close();
		}
	};
}

export async function createTestUser(db: DbHandle, role: Role = 'admin'): Promise<{ email: string; password: string }> {
	const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.test`;
	await createUser(db.db, { email, name: `Test ${role}`, role, password: TEST_PASSWORD });
	return { email, password: TEST_PASSWORD };
}
