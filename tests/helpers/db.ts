import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import postgres from 'postgres';
import { openDb, type DbHandle, type DbTarget } from '../../core/db/client';
import { migrate } from '../../core/db/migrate';
import * as schema from '../../core/db/schema/index';

export type TestDbKind = 'pglite' | 'postgres';

/** Integration suites run on embedded PGlite always, and on PostgreSQL too when TEST_DATABASE_URL is set. */
export function dbKinds(): TestDbKind[] {
	return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

let pgliteTemplate: Promise<Blob> | undefined;

/** Migrating PGlite costs seconds; do it once per file and clone the data directory for each database. */
function migratedPgliteImage(): Promise<Blob> {
	pgliteTemplate ??= (async () => {
		const handle = await openDb({ kind: 'pglite' });
		await migrate(handle);
		const client = (handle.db as unknown as { $client: PGlite }).$client;
		const image = await client.dumpDataDir('none');
		await handle.close();
		return image;
	})();
	return pgliteTemplate;
}

/**
 * A fresh, migrated, empty database of the given kind. On PostgreSQL each call creates its own database
 * (dropped by `close`), so suites never see each other's rows.
 */
export async function freshDb(kind: TestDbKind): Promise<DbHandle & { url?: string }> {
	if (kind === 'pglite') {
		const client = await PGlite.create({ loadDataDir: await migratedPgliteImage() });
		return {
			db: drizzle(client, { schema }) as unknown as DbHandle['db'],
			kind: 'pglite',
			ping: async () => void (await client.query('select 1')),
			close: () => client.close()
		};
	}
	const handle = await blankDb(kind);
	await migrate(handle);
	return handle;
}

/** A database with no tables at all, for tests that run the migrations themselves (dropped by `close` on PostgreSQL). */
export async function blankDb(kind: TestDbKind): Promise<DbHandle & { url?: string }> {
	if (kind === 'pglite') return openDb({ kind: 'pglite' });
	const adminUrl = process.env.TEST_DATABASE_URL;
	if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
	const name = `oc_test_${randomBytes(6).toString('hex')}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	const target: DbTarget = { kind: 'postgres', url: url.toString(), max: 10 };
	const handle = await openDb(target);
	return {
		...handle,
		url: target.url,
		close: async () => {
			await handle.close();
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	};
}
