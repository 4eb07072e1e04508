import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadEnv } from '../core/config/env';
import { closeSharedDb, migrate, sharedDb, targetFromEnv } from '../core/db/index';
import { createWorker } from '../worker/worker';
import { buildWebIfStale } from './build-if-stale';
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
		await seed(handle.db, { adminEmail: env.ADMIN_EMAIL, adminPassword, writeKey });

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

		const { worker, connection } = await createWorker({ ...env, TEMPORAL_ADDRESS: address }, { db: handle.db });
		const running = worker.run();
		stops.push(async () => {
			if (worker.getState() === 'RUNNING') worker.shutdown();
			await running;
			await connection.close();
		});
		running.catch((err) => {
			console.error('worker failed:', err);
			void shutdown(1);
		});

		buildWebIfStale(root, log);
		const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
		process.env.ORIGIN ??= publicUrl; // adapter-node checks form posts against it
		const { handler } = (await import(pathToFileURL(join(root, 'build', 'handler.js')).href)) as {
			handler: Parameters<typeof createServer>[1];
		};
		const http: Server = createServer(handler);
		await new Promise<void>((ok, fail) => http.once('error', fail).listen(env.PORT, ok));
		stops.push(() => new Promise((ok) => http.close(ok)));

		log(`web app:      ${publicUrl}  (sign in as ${env.ADMIN_EMAIL} / ${env.ADMIN_PASSWORD ? '$ADMIN_PASSWORD' : adminPassword})`);
		log(`temporal ui:  ${temporalUi ?? '(set TEMPORAL_UI_URL)'}`);
		log(`ingest key:   ${writeKey}  (Segment write key)`);
		log('press Ctrl-C to stop');
	} catch (err) {
		console.error(err);
		await shutdown(1);
	}
}

void run();
