import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../../core/db/client';
import { PREPARE_MAX_PARAMETERS } from '../../../core/db/prepared';
import { customers } from '../../../core/db/schema/customers';
import { type Tx } from '../../../core/identity/tx';
import { rowsOf } from '../../../core/db/rows';
import { freshDb } from '../../helpers/db';

/** The statements of ours this connection has prepared (a transaction keeps one connection; the driver prepares its own type lookup). */
async function prepared(tx: Tx): Promise<string[]> {
	return rowsOf<{ statement: string }>(await tx.execute(sql`select statement from pg_prepared_statements where statement like '%customers%'`)).map(
		(r) => r.statement
	);
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);

// Prepared statements are PostgreSQL's driver's (postgres.js); PGlite runs in process and has no round trips to save.
describe.skipIf(!process.env.TEST_DATABASE_URL)('small queries as named prepared statements (PostgreSQL)', () => {
	let base: DbHandle & { url?: string };
	let h: DbHandle;
	let unprepared: DbHandle;
	beforeAll(async () => {
		base = await freshDb('postgres');
		await base.db.insert(customers).values(ids(100).map((id) => ({ id })));
		h = await openDb({ kind: 'postgres', url: base.url!, max: 2 });
		unprepared = await openDb({ kind: 'postgres', url: base.url!, max: 2, prepare: false });
	});
	afterAll(async () => {
		await h?.close();
		await unprepared?.close();
		await base?.close();
	});

	it('prepares queries with a few parameters, in transactions and savepoints, and leaves large ones unnamed', async () => {
		await h.db.transaction(async (tx) => {
			const one = await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, 'c7'));
			const again = await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, 'c8'));
			expect([...one, ...again]).toEqual([{ id: 'c7' }, { id: 'c8' }]);
			const big = await tx
				.select({ id: customers.id })
				.from(customers)
				.where(inArray(customers.id, ids(PREPARE_MAX_PARAMETERS + 1)));
			expect(big).toHaveLength(PREPARE_MAX_PARAMETERS + 1);
			await tx.transaction(async (inner) => {
				expect(
					await inner
						.select({ id: customers.id })
						.from(customers)
						.where(inArray(customers.id, ['c1', 'c2']))
				).toHaveLength(2);
			});
			const statements = await prepared(tx);
			expect(statements.filter((s) => s.includes('where "customers"."id" = $1'))).toHaveLength(1); // one statement, run twice
			expect(statements.some((s) => s.includes('in ($1, $2)'))).toBe(true);
			expect(statements.some((s) => s.includes(`$${PREPARE_MAX_PARAMETERS + 1}`))).toBe(false);
		});
	});

	it('keeps working when a table changes under a prepared statement (a migration by another process)', async () => {
		const one = await openDb({ kind: 'postgres', url: base.url!, max: 1 });
		try {
			const named = () => one.db.select({ id: customers.id, traits: customers.traits }).from(customers).where(eq(customers.id, 'c3'));
			const star = async () =>
				rowsOf<Record<string, unknown>>(await one.db.execute(sql`select * from customers where id = ${'c3'}`)).map((r) => Object.keys(r).length);
			expect(await named()).toEqual([{ id: 'c3', traits: {} }]);
			const columns = (await star())[0]!;
			await base.db.execute(sql`alter table customers add column note text`);
			expect(await named()).toEqual([{ id: 'c3', traits: {} }]);
			// `select *` changed its result type: the driver prepares the statement again.
			expect(await star()).toEqual([columns + 1]);
		} finally {
			await base.db.execute(sql`alter table customers drop column if exists note`);
			await one.close();
		}
	});

	it('DATABASE_PREPARE=false: nothing is prepared, results are the same', async () => {
		await unprepared.db.transaction(async (tx) => {
			expect(await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, 'c9'))).toEqual([{ id: 'c9' }]);
			expect(await prepared(tx)).toEqual([]);
		});
	});
});
