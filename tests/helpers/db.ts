import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import postgres from 'postgres';
import { openDb, type DbHandle, type DbTarget } from '../../core/db/client';
import { migrate, migrationsFolder } from '../../core/db/migrate';
import * as schema from '../../core/db/schema/index';

export type TestDbKind = 'pglite' | 'postgres';

/** Integration suites run on embedded PGlite always, and on PostgreSQL too when TEST_DATABASE_URL is set. */
export function dbKinds(): TestDbKind[] {
	return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

let pgliteTemplate: Promise<Blob> | undefined;

/**
 * Migrating PGlite costs seconds; do it once and clone the data directory for each database. The image is kept
 * on disk between test files (and runs) under a key of the migrations and PGlite's version, so only the first
 * file after a migration changes pays for it.
 */
function migratedPgliteImage(): Promise<Blob> {
	pgliteTemplate ??= (async () => {
		const file = join(IMAGE_DIR, `pglite-${imageKey()}.tar`);
		if (existsSync(file)) return new Blob([readFileSync(file)]);
		const handle = await openDb({ kind: 'pglite' });
		await migrate(handle);
		const client = (handle.db as unknown as { $client: PGlite }).$client;
		const image = await client.dumpDataDir('none');
		await handle.close();
		// Written whole under another name, then renamed: a file running beside this one reads all of it or none.
		mkdirSync(IMAGE_DIR, { recursive: true });
		const partial = `${file}.${process.pid}.partial`;
		writeFileSync(partial, Buffer.from(await image.arrayBuffer()));
		renameSync(partial, file);
		return image;
	})();
	return pgliteTemplate;
}

const IMAGE_DIR = fileURLToPath(new URL('../../node_modules/.cache/omnicanal-tests/', import.meta.url));

/** Every migration file's name and bytes, and the PGlite version that wrote the image. */
function imageKey(): string {
	const hash = createHash('sha256').update(PGLITE_VERSION);
	const walk = (dir: string): void => {
		for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) walk(path);
			else hash.update(path.slice(migrationsFolder.length)).update(readFileSync(path));
		}
	};
	walk(migrationsFolder);
	return hash.digest('hex').slice(0, 16);
}

const PGLITE_VERSION = (
	JSON.parse(readFileSync(fileURLToPath(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)), 'utf8')) as { version: string }
).version;

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
