import { getTableColumns, sql, type Column, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client';

/**
 * Inserts many rows as ONE jsonb parameter (`jsonb_populate_recordset` on the table's own row type). A multi-row
 * `insert(…).values(rows)` makes drizzle build and the driver send a parameter per cell — 15,000 for a thousand
 * events, whose building was a large share of the inbox processor's CPU; one parameter costs neither.
 *
 * Same rows as `values(rows)` would write: `$defaultFn`s are applied, and a column left out of a row takes its
 * default. Rows that leave out different defaulted columns go in separate statements (one per shape, in order of
 * first appearance), since a statement names one column list; a column without a default left out is NULL.
 * No `returning` and no conflict clause: for plain appends.
 */
export async function insertRows<T extends PgTable>(db: Db, table: T, rows: readonly T['$inferInsert'][]): Promise<void> {
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
	for (const { present, docs } of shapes.values()) {
		const names = columns.map(([, c]) => c.name).filter((name) => present.has(name));
		const list = sql.join(
			names.map((n) => sql.identifier(n)),
			sql`, `
		);
		await db.execute(sql`insert into ${table} (${list}) select ${list} from jsonb_populate_recordset(null::${table}, ${JSON.stringify(docs)}::jsonb)`);
	}
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

function columnsOf(table: PgTable): [string, Column][] {
	return Object.entries(getTableColumns(table));
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
