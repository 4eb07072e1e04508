import { resolve } from 'node:path';
import { rebuildRollups } from '../core/analytics/rebuild';
import { loadEnv } from '../core/config/env';
import { migrate, openDb, targetFromEnv } from '../core/db/index';

/**
 * `npm run analytics:rebuild [journeyId]`: recomputes the analytics rollups from the step log, messages and their
 * events — once after upgrading a database whose steps predate the rollups, or to repair them. Each journey is
 * rebuilt in one transaction that holds writers back meanwhile. On the embedded database stop `npm start` first
 * (PGlite's data directory admits one client).
 */
async function run(): Promise<void> {
	const env = loadEnv();
	const handle = await openDb(targetFromEnv({ ...env, DATA_DIR: resolve(import.meta.dirname, '..', env.DATA_DIR) }));
	try {
		await migrate(handle);
		const started = Date.now();
		const { journeys, enrollments } = await rebuildRollups(handle.db, process.argv[2] || undefined);
		console.log(`[omnicanal] analytics rebuilt: ${journeys} journey(s), ${enrollments} enrollment(s) in ${Date.now() - started} ms`);
	} finally {
		await handle.close();
	}
}

run().catch((err) => {
	console.error(err);
	process.exit(1);
});
