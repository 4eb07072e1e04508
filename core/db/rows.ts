import { sql, type SQL } from 'drizzle-orm';

/** Rows of a raw `execute`: postgres-js returns an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
	if (Array.isArray(result)) return result as T[];
	const rows = (result as { rows?: unknown } | null)?.rows;
	return Array.isArray(rows) ? (rows as T[]) : [];
}

/** A list as one jsonb parameter: any length, unlike `in ($1, $2, …)` which stops at 65,535 parameters. */
export function jsonParam(values: unknown): SQL {
	return sql`${JSON.stringify(values)}::jsonb`;
}

/**
 * The rows of a set-returning function (`jsonb_to_recordset(…) as x(…)`, `jsonb_array_elements(…) as e(x)`) as a
 * subquery the planner sizes right. PostgreSQL plans such a function as if it returned 100 rows, so joining it
 * with a table of a few thousand rows reads the whole table even for one row (a hash join over a sequential scan:
 * 120–260 pages a statement in the engine benchmark). A LIMIT of the true count makes it expect what comes; it is a
 * parameter, so the text stays the same and the statement is prepared once (a generic plan assumes 10 rows).
 */
export function sized(rows: SQL, count: number): SQL {
	return sql`(select * from ${rows} limit ${count})`;
}

/** Texts as a subquery of their own, sized (see `sized`): `id in ${textsIn(ids)}`. */
export function textsIn(values: readonly string[]): SQL {
	const unique = [...new Set(values)];
	return sized(sql`jsonb_array_elements_text(${jsonParam(unique)}) as v`, unique.length);
}
