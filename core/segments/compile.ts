import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { customers } from '../db/schema/customers';
import { events } from '../db/schema/events';
import { withinMs, type Condition, type Filter, type Scalar, type SegmentDefinition } from './definition';

/*
 * Segment definitions compile to one boolean SQL expression over the `customers` row, with event conditions as
 * correlated subqueries on `events`. Every value is a bound parameter. Casts only happen inside CASE branches
 * guarded by a type test, because a predicate that raises (a trait "abc" cast to numeric) would fail the
 * ingest transaction that evaluates it.
 */

// Decimal strings JavaScript's Number() would read; the exponent is bounded so the numeric cast cannot overflow.
const NUMERIC_TEXT = '^\\s*-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d{1,3})?\\s*$';

/** The jsonb at a dotted path; a key that itself contains dots wins when present (as in journeys' getPath). */
function valueAt(doc: SQL | AnyColumn, path: string): SQL {
	const parts = path.split('.');
	if (parts.length === 1) return sql`(${doc} -> ${path}::text)`;
	const steps = sql.join(
		parts.map((p) => sql`${p}::text`),
		sql`, `
	);
	return sql`coalesce(${doc} -> ${path}::text, jsonb_extract_path(${doc}, ${steps}))`;
}

/** A number or a decimal string as numeric; null otherwise. */
function numericOf(x: SQL): SQL {
	return sql`(case when jsonb_typeof(${x}) = 'number' then (${x})::numeric
		when jsonb_typeof(${x}) = 'string' and (${x} #>> '{}') ~ ${NUMERIC_TEXT}::text then (${x} #>> '{}')::numeric end)`;
}

function asNumber(v: string): number | undefined {
	const n = v.trim() === '' ? NaN : Number(v);
	return Number.isFinite(n) ? n : undefined;
}

/** Equality as journeys define it: a number equals its decimal string, other types compare strictly. */
function equals(x: SQL, v: Scalar): SQL {
	if (v === null) return sql`coalesce(${x} = 'null'::jsonb, false)`;
	if (typeof v === 'boolean') return sql`coalesce(${x} = ${v ? sql.raw(`'true'::jsonb`) : sql.raw(`'false'::jsonb`)}, false)`;
	if (typeof v === 'number') return sql`coalesce(${numericOf(x)} = ${v}::numeric, false)`;
	const n = asNumber(v);
	const asText = sql`${x} = to_jsonb(${v}::text)`;
	if (n === undefined) return sql`coalesce(${asText}, false)`;
	return sql`coalesce(${asText} or (jsonb_typeof(${x}) = 'number' and (case when jsonb_typeof(${x}) = 'number' then (${x})::numeric end) = ${n}::numeric), false)`;
}

/** True when `x` is an array with an element satisfying `test`, else whether `x` itself does. */
function anyElement(x: SQL, test: (el: SQL) => SQL): SQL {
	return sql`(case when jsonb_typeof(${x}) = 'array' then exists (select 1 from jsonb_array_elements(${x}) as el where ${test(sql`el.value`)}) else ${test(x)} end)`;
}

function filterSql(x: SQL, f: Filter): SQL {
	switch (f.op) {
		case 'eq':
			return equals(x, f.value);
		case 'neq':
			return sql`(not ${equals(x, f.value)})`;
		case 'contains':
			return sql`(case jsonb_typeof(${x})
				when 'string' then strpos(lower(${x} #>> '{}'), lower(${String(f.value)}::text)) > 0
				when 'array' then exists (select 1 from jsonb_array_elements(${x}) as el where ${equals(sql`el.value`, f.value)})
				else false end)`;
		case 'lt':
			return sql`coalesce(${numericOf(x)} < ${f.value}::numeric, false)`;
		case 'gt':
			return sql`coalesce(${numericOf(x)} > ${f.value}::numeric, false)`;
		case 'exists': {
			const present = sql`coalesce(jsonb_typeof(${x}) <> 'null', false)`;
			return f.value === false ? sql`(not ${present})` : present;
		}
		case 'in': {
			const values = f.value;
			return sql`coalesce(${anyElement(
				x,
				(el) =>
					sql`(${sql.join(
						values.map((v) => equals(el, v)),
						sql` or `
					)})`
			)}, false)`;
		}
	}
}

const COMPARE = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=' } as const;

function conditionSql(c: Condition, asOf: Date): SQL {
	switch (c.kind) {
		case 'trait':
			return filterSql(valueAt(customers.traits, c.filter.path), c.filter);
		case 'event': {
			const where = [sql`${events.customerId} = ${customers.id}`, sql`${events.name} = ${c.event}::text`];
			if (c.within) where.push(sql`${events.timestamp} >= ${new Date(asOf.getTime() - withinMs(c.within)).toISOString()}::timestamptz`);
			for (const f of c.filters) where.push(filterSql(valueAt(events.properties, f.path), f));
			// `limit minCount` lets PostgreSQL stop counting as soon as the answer is known.
			const hits = sql`(select count(*) from (select 1 from ${events} where ${sql.join(where, sql` and `)} limit ${c.minCount}) as hits)`;
			const happened = sql`(${hits} >= ${c.minCount})`;
			return c.occurred ? happened : sql`(not ${happened})`;
		}
		case 'consent': {
			const granted = sql`coalesce((${customers.consent} -> ${c.channel}::text -> 'granted') = 'true'::jsonb, false)`;
			return c.granted ? granted : sql`(not ${granted})`;
		}
		case 'orders': {
			const column = c.metric === 'count' ? customers.ordersCount : customers.lifetimeValue;
			return sql`(${column} ${sql.raw(COMPARE[c.op])} ${c.value}::numeric)`;
		}
	}
}

/** Live profiles only: merged-away and erased rows belong to no segment. */
export const liveCustomer = sql`(${customers.mergedInto} is null and ${customers.erasedAt} is null)`;

/** The definition as a boolean over the current `customers` row; `asOf` anchors "in the last N days". */
export function segmentPredicate(def: SegmentDefinition, asOf: Date): SQL {
	const parts = def.conditions.map((c) => conditionSql(c, asOf));
	return sql`(${sql.join(parts, def.match === 'all' ? sql` and ` : sql` or `)})`;
}
