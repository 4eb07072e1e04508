import { join, resolve } from 'node:path';
import { loadEnv } from '../core/config/env';
import { closeSharedDb, migrate, sharedDb, targetFromEnv } from '../core/db/index';
import { startProduct } from './product';
import { persistentSecret } from './secrets';
import { seed } from './seed';
import { startDevServer, waitForNamespace, type DevServer } from './temporal/dev-server';

/**
 * `npm start`: the whole product in one command on its embedded defaults — PGlite (or DATABASE_URL), the
 * Temporal dev server (or TEMPORAL_ADDRESS), the worker and the web app. Web and worker share this process so
 * they can share PGlite, whose data directory admits one client. Ctrl-C stops everything cleanly.
 */
const root = resolve(import.meta.dirname, '..');
const log = (m: string) => console.log(`[omnicanal] ${m}`);

async function run(): Promise<void> {
	const env = loadEnv();
	const dataDir = resolve(root, env.DATA_DIR);
	const stops: Array<() => Promise<unknown>> = [];
	let stopping = false;
	const shutdown = async (code: number) => {
		if (stopping) return;
		stopping = true;
		log('stopping…');
		for (const stop of stops.reverse()) await stop().catch((err) => console.error(err));
		process.exit(code);
	};
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));

	try {
		const handle = await sharedDb(targetFromEnv({ ...env, DATA_DIR: dataDir }));
		stops.push(closeSharedDb);
		await migrate(handle);
		log(`database ready (${handle.kind === 'pglite' ? `embedded PGlite in ${join(dataDir, 'pglite')}` : 'PostgreSQL'})`);

		const adminPassword = persistentSecret(dataDir, 'admin-password', env.ADMIN_PASSWORD, 9);
		const writeKey = `oc_write_${persistentSecret(dataDir, 'demo-write-key', undefined, 18)}`;
		process.env.APP_SECRET = persistentSecret(dataDir, 'app-secret', env.APP_SECRET);
		const demo = await seed(handle.db, { adminEmail: env.ADMIN_EMAIL, adminPassword, writeKey });

		let temporalUi = env.TEMPORAL_UI_URL;
		let address = env.TEMPORAL_ADDRESS;
		if (address) {
			await waitForNamespace(address, env.TEMPORAL_NAMESPACE, 60_000);
		} else {
			const server: DevServer = await startDevServer({
				port: 7233,
				uiPort: 8233,
				dbFile: join(dataDir, 'temporal.sqlite'),
				namespace: env.TEMPORAL_NAMESPACE,
				log: (m) => log(`temporal: ${m}`)
			});
			stops.push(server.stop);
			address = server.address;
			temporalUi = server.uiUrl;
			process.env.TEMPORAL_ADDRESS = address;
		}
		if (temporalUi) process.env.TEMPORAL_UI_URL = temporalUi;

		const product = await startProduct({ root, env, db: handle, temporalAddress: address, port: env.PORT, log });
		stops.push(product.stop);

		log(`web app:      ${product.url}  (sign in as ${env.ADMIN_EMAIL} / ${env.ADMIN_PASSWORD ? '$ADMIN_PASSWORD' : adminPassword})`);
		log(`demo shop:    ${product.url}${demo.landingPath}  (Chloé's ad link)`);
		log(`temporal ui:  ${temporalUi ?? '(set TEMPORAL_UI_URL)'}`);
		log(`ingest key:   ${writeKey}  (Segment write key)`);
		log('press Ctrl-C to stop');
	} catch (err) {
		console.error(err);
		await shutdown(1);
	}
}

void run();
