import { existsSync, rmSync } from 'node:fs';
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
	// The embedded default is a demo (the shop, the demo users and story); with DATABASE_URL it is off unless DEMO=1.
	if (!process.env.DEMO && !process.env.DATABASE_URL) process.env.DEMO = '1';
	const env = loadEnv();
	const dataDir = resolve(root, env.DATA_DIR);
	const stops: Array<() => Promise<unknown>> = [];
	let stopping = false;
	const shutdown = async (code: number) => {
		if (stopping) return;
		stopping = true;
		log('stopping…');
		// Bounded: each stop finishes its in-flight work within seconds; should one hang anyway, exit regardless.
		setTimeout(() => {
			console.error('[omnicanal] shutdown did not finish within 30 s; exiting');
			process.exit(code || 1);
		}, 30_000).unref();
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

		// Passwords are printed once, when made, and kept only as hashes. Older versions kept the admin's in clear.
		const oldPasswordFile = join(dataDir, 'secrets', 'admin-password');
		if (existsSync(oldPasswordFile)) {
			rmSync(oldPasswordFile);
			log(`removed ${oldPasswordFile}: passwords are no longer kept in clear (the admin's is unchanged; set ADMIN_PASSWORD to reset it)`);
		}
		const writeKey = env.DEMO ? `oc_write_${persistentSecret(dataDir, 'demo-write-key', undefined, 18)}` : undefined;
		process.env.APP_SECRET = persistentSecret(dataDir, 'app-secret', env.APP_SECRET);
		// The webhook step's HMAC key is handed to every receiver a marketer configures: its own secret, never
		// APP_SECRET (which signs unsubscribe links and would let a receiver forge them).
		process.env.WEBHOOK_SIGNING_SECRET = persistentSecret(dataDir, 'webhook-signing-secret', env.WEBHOOK_SIGNING_SECRET);
		// Erased people's suppressions are kept as keyed hashes: the key must survive restarts (and APP_SECRET rotations).
		process.env.PRIVACY_HASH_KEY = persistentSecret(dataDir, 'privacy-hash-key', env.PRIVACY_HASH_KEY);
		const seeded = await seed(handle.db, { adminEmail: env.ADMIN_EMAIL, adminPassword: env.ADMIN_PASSWORD, demo: env.DEMO, writeKey });

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

		const product = await startProduct({
			root,
			env: { ...env, WEBHOOK_SIGNING_SECRET: process.env.WEBHOOK_SIGNING_SECRET },
			db: handle,
			temporalAddress: address,
			port: env.PORT,
			log
		});
		stops.push(product.stop);

		log(`web app:      ${product.url}`);
		if (seeded.created.length > 0) {
			log('accounts created now — copy the passwords, they are shown this once and not kept:');
			for (const u of seeded.created) log(`  ${u.role.padEnd(9)} ${u.email} / ${u.fromEnv ? '$ADMIN_PASSWORD' : u.password}`);
		} else {
			log(`sign in as ${env.ADMIN_EMAIL} with the password printed at the first start (set ADMIN_PASSWORD to reset it)`);
		}
		if (seeded.landingPath) log(`demo shop:    ${product.url}${seeded.landingPath}  (Chloé's ad link)`);
		log(`temporal ui:  ${temporalUi ?? '(set TEMPORAL_UI_URL)'}`);
		if (writeKey) log(`ingest key:   ${writeKey}  (demo Segment write key)`);
		log('press Ctrl-C to stop');
	} catch (err) {
		console.error(err);
		await shutdown(1);
	}
}

void run();
