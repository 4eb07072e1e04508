import type { Sql } from 'postgres';

/**
 * Queries with at most this many parameters run as named prepared statements. drizzle asks postgres.js for unnamed
 * ones, and postgres.js sends an unnamed statement with parameters in two round trips (Parse/Describe, wait for the
 * parameter types, then Bind/Execute), which PostgreSQL parses and plans afresh every time. A named statement is
 * described once per connection; after that each run is one round trip (Bind/Execute) with no parsing.
 *
 * The bound keeps the per-connection statement cache small: a query's text varies with the length of its `in (…)`
 * lists, so large batch statements (rare, and dominated by their own work) stay unnamed. Connections are replaced
 * every `max_lifetime`, which clears their caches.
 */
export const PREPARE_MAX_PARAMETERS = 32;

/**
 * The driver as drizzle should see it: `unsafe` (drizzle's only way of running a statement) prepares small
 * statements, in transactions and savepoints too. `prepare: false` (for a transaction-mode PgBouncer older than
 * 1.21, which cannot keep a connection's statements) leaves the driver as it is.
 */
export function preparingSmallStatements(client: Sql, prepare = true): Sql {
	if (!prepare) return client;
	return wrap(client);
}

type Scope = Pick<Sql, 'unsafe'> & { begin?: unknown; savepoint?: unknown };
type Callback = (inner: Scope) => unknown;

function wrap<T extends Scope>(scope: T): T {
	return new Proxy(scope, {
		get(target, prop, receiver) {
			if (prop === 'unsafe') {
				return (query: string, params?: unknown[], options?: Record<string, unknown>) =>
					target.unsafe(
						query,
						params as never,
						{
							...options,
							prepare: (params?.length ?? 0) > 0 && (params?.length ?? 0) <= PREPARE_MAX_PARAMETERS
						} as never
					);
			}
			if (prop === 'begin' || prop === 'savepoint') {
				const open = Reflect.get(target, prop, receiver) as (...args: unknown[]) => unknown;
				return (...args: unknown[]) => {
					const fn = args.at(-1) as Callback;
					return open.apply(target, [...args.slice(0, -1), (inner: Scope) => fn(wrap(inner))]);
				};
			}
			const value = Reflect.get(target, prop, receiver) as unknown;
			return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
		}
	});
}
