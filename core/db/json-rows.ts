import { getTableColumns, sql, type Column, type SQL } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { rowsOf } from './rows';
import type { Db } from './client';

/*
 * Rows as ONE jsonb parameter (`jsonb_populate_recordset` on the table's own row type), for the statements on the
 * hot path. drizzle's builder costs a quarter to half a millisecond of CPU for one small INSERT or UPDATE (and a
 * parameter per cell for many rows: 15,000 for a thousand events), and the text it makes varies with the number
 * of rows; a `sql` template with one parameter costs a few microseconds and its text stays the same, so it runs
 * as one prepared statement (core/db/prepared.ts).
 */

export type InsertOptions = {
	/** What follows `on conflict`, e.g. sql`(idempotency_key) do nothing`. */
	onConflict?: SQL;
};

/**
 * Inserts rows as `values(rows)` would: `$defaultFn`s applied, a column left out of a row takes its default. Rows
 * that leave out different defaulted columns go in separate statements (one per shape, in order of first
 * appearance), since a statement names one column list; a column without a default left out is NULL. Rows go in
 * the order given (writers that lock in one order keep it).
 */
export async function insertRows<T extends PgTable>(db: Db, table: T, rows: readonly T['$inferInsert'][], o: InsertOptions = {}): Promise<void> {
	for (const statement of insertStatements(table, rows, o, false)) await db.execute(statement);
}

/** insertRows, answering the rows inserted (`returning *`, typed as drizzle's select would type them). */
export async function insertRowsReturning<T extends PgTable>(
	db: Db,
	table: T,
	rows: readonly T['$inferInsert'][],
	o: InsertOptions = {}
): Promise<T['$inferSelect'][]> {
	const out: T['$inferSelect'][] = [];
	for (const statement of insertStatements(table, rows, o, true)) out.push(...typedRows(table, rowsOf(await db.execute(statement))));
	return out;
}

function insertStatements<T extends PgTable>(table: T, rows: readonly T['$inferInsert'][], o: InsertOptions, returning: boolean): SQL[] {
	const columns = columnsOf(table);
	// A column with no default may be missing from a row (NULL either way); one with a default may not, so rows
	// are grouped by the defaulted columns they set.
	const shapes = new Map<string, { present: Set<string>; docs: Record<string, unknown>[] }>();
	for (const row of rows) {
		const doc = recordOf(columns, row as Record<string, unknown>, true);
		const key = columns
			.filter(([, c]) => c.hasDefault && c.name in doc)
			.map(([, c]) => c.name)
			.join(',');
		const shape = shapes.get(key) ?? { present: new Set<string>(), docs: [] };
		for (const name of Object.keys(doc)) shape.present.add(name);
		shape.docs.push(doc);
		shapes.set(key, shape);
	}
	return [...shapes.values()].map(({ present, docs }) => {
		const names = columns.map(([, c]) => c.name).filter((name) => present.has(name));
		return sql`${insertHead(table, names)}${JSON.stringify(docs)}::jsonb) with ordinality as x order by x.ordinality${o.onConflict ? sql` on conflict ${o.onConflict}` : sql``}${returning ? sql` returning *` : sql``}`;
	});
}

const headCache = new WeakMap<PgTable, Map<string, SQL>>();

/**
 * `insert into t (a, b) select x.a, x.b from jsonb_populate_recordset(null::t, ` as one raw chunk, made once per
 * table and column list: drizzle renders a statement chunk by chunk on every execution, and two lists of a column
 * each cost more than the rest of the insert.
 */
function insertHead(table: PgTable, names: readonly string[]): SQL {
	let heads = headCache.get(table);
	if (!heads) headCache.set(table, (heads = new Map()));
	const key = names.join(',');
	let head = heads.get(key);
	if (!head) {
		const { name, schema } = getTableConfig(table);
		const t = schema ? `${quoted(schema)}.${quoted(name)}` : quoted(name);
		const list = names.map(quoted).join(', ');
		const xs = names.map((n) => `x.${quoted(n)}`).join(', ');
		heads.set(key, (head = sql.raw(`insert into ${t} (${list}) select ${xs} from jsonb_populate_recordset(null::${t}, `)));
	}
	return head;
}

function quoted(identifier: string): string {
	return `"${identifier.replaceAll('"', '""')}"`;
}

/**
 * Rows as one jsonb parameter for `jsonb_populate_recordset(null::<table>, …)` (a set-based UPDATE … FROM): keyed
 * by column name, each value as drizzle would send it (a Date as ISO, a numeric as a string; jsonb as nested JSON),
 * only the values given (no `$defaultFn`).
 */
export function jsonRecords<T extends PgTable>(table: T, rows: readonly Partial<T['$inferInsert']>[]): SQL {
	const columns = columnsOf(table);
	return sql`${JSON.stringify(rows.map((row) => recordOf(columns, row as Record<string, unknown>, false)))}::jsonb`;
}

/** Raw rows of a `returning *` (or `select *`) as drizzle would hand them back: property names, Dates, parsed jsonb. */
export function typedRows<T extends PgTable>(table: T, raw: readonly Record<string, unknown>[]): T['$inferSelect'][] {
	const columns = columnsOf(table);
	return raw.map((r) => {
		const out: Record<string, unknown> = {};
		for (const [key, column] of columns) {
			const value = r[column.name];
			out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
		}
		return out as T['$inferSelect'];
	});
}

const columnCache = new WeakMap<PgTable, [string, Column][]>();

function columnsOf(table: PgTable): [string, Column][] {
	let columns = columnCache.get(table);
	if (!columns) columnCache.set(table, (columns = Object.entries(getTableColumns(table))));
	return columns;
}

function recordOf(columns: [string, Column][], values: Record<string, unknown>, defaults: boolean): Record<string, unknown> {
	const doc: Record<string, unknown> = {};
	for (const [key, column] of columns) {
		let value = values[key];
		if (value === undefined && defaults && column.defaultFn) value = column.defaultFn();
		if (value === undefined) continue;
		doc[column.name] = value === null || column.dataType === 'json' ? value : column.mapToDriverValue(value);
	}
	return doc;
}
