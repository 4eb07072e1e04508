import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { inject } from 'vitest';
import { createApiKey, createUser, login } from '../../core/auth/accounts';
import { loadEnv } from '../../core/config/env';
import { registerSharedDb, type DbHandle } from '../../core/db/client';
import type { Role } from '../../core/db/schema/auth';
import { startProduct, type RunningProduct } from '../../scripts/product';
import type {} from './temporal'; // ProvidedContext['temporal']
import { freshDb, type TestDbKind } from './db';

export const TEST_PASSWORD = 'correct horse battery staple';

const root = resolve(import.meta.dirname, '../..');
const TEMPORAL_KEY = Symbol.for('omnicanal.temporal-client');

export type TestProduct = RunningProduct & {
	db: DbHandle;
	taskQueue: string;
	/** A write key for ingest (`Authorization: Basic base64(key:)`). */
	writeKey: string;
	/** A new signed-in user of `role`, as the `Cookie` header value (form posts must also send `origin: url`). */
	sessionCookie(role: Role): Promise<string>;
};

/**
 * The whole product (worker + built web app) in this test process, on a fresh database and the run's shared
 * Temporal dev server, through the same boot path as `npm start` (which builds the web app if stale); tests go through real HTTP, hooks, auth and
 * routes against a database they control (PGlite included, which only one client can open: the app finds the
 * test's handle where `sharedDb` keeps it). Each call gets its own task queue so suites never pick up each
 * other's workflows. Stop it in afterAll.
 */
export async function startTestProduct(kind: TestDbKind = 'pglite'): Promise<TestProduct> {
	const temporal = inject('temporal');
	const db = await freshDb(kind);
	registerSharedDb(db);
	const taskQueue = `test-${Math.random().toString(36).slice(2, 10)}`;
	Object.assign(process.env, {
		TEMPORAL_ADDRESS: temporal.address,
		TEMPORAL_NAMESPACE: temporal.namespace,
		TEMPORAL_TASK_QUEUE: taskQueue,
		APP_SECRET: 'test-secret',
		DEMO: '1', // the demo shop is on, as under npm start (tests of the off state set DEMO=0)
		DATA_DIR: mkdtempSync(join(tmpdir(), 'omnicanal-product-')) // nothing under the repo's .data
	});
	const env = loadEnv();
	const product = await startProduct({ root, env, db, temporalAddress: temporal.address, port: 0, log: () => {} });
	const { key: writeKey } = await createApiKey(db.db, { name: 'test write key', kind: 'write', role: 'marketer' });
	return {
		...product,
		db,
		taskQueue,
		writeKey,
		async sessionCookie(role) {
			const user = await createTestUser(db, role);
			const session = await login(db.db, user.email, user.password);
			return `oc_session=${session!.token}`;
		},
		async stop() {
			await product.stop();
			// The web app's Temporal client is kept per process; the next product connects its own.
			const holder = globalThis as Record<symbol, Promise<Client> | undefined>;
			const client = holder[TEMPORAL_KEY];
			delete holder[TEMPORAL_KEY];
			await client?.then((c) => c.connection.close()).catch(() => {});
			await db.close();
		}
	};
}

export async function createTestUser(db: DbHandle, role: Role = 'admin'): Promise<{ email: string; password: string }> {
	const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.test`;
	await createUser(db.db, { email, name: `Test ${role}`, role, password: TEST_PASSWORD });
	return { email, password: TEST_PASSWORD };
}
