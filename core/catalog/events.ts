import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { customers } from '../db/schema/customers';
import { events } from '../db/schema/events';
import { rowsOf } from '../db/rows';
import { propertyPaths } from './paths';

/** How far back "count" looks: recent use is what tells a marketer an event is live. */
const COUNT_WINDOW_DAYS = 30;
/** Events (or profiles) sampled for property paths: enough to see every field, bounded work per request. */
export const PATH_SAMPLE = 500;

export const CatalogEventsQuery = z.object({
	q: z.string().trim().max(200).optional(),
	limit: z.coerce.number().int().min(1).max(200).default(50)
});
export type CatalogEventsQuery = z.infer<typeof CatalogEventsQuery>;

export type CatalogEvent = { name: string; count: number; lastSeen: string | null };

/**
 * The event names ingest has seen, most used in the last 30 days first, optionally filtered by a substring.
 * Distinct names come from a loose index scan over `events_name_ts_idx` (one index probe per name, not a
 * scan of every event); each name's count covers the window only and its last timestamp is one index probe.
 */
export async function catalogEvents(db: Db, input: Partial<CatalogEventsQuery> = {}, now = new Date()): Promise<CatalogEvent[]> {
	const q = CatalogEventsQuery.parse(input);
	const since = new Date(now.getTime() - COUNT_WINDOW_DAYS * 86_400_000);
	const like = q.q ? `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
	const result = await db.execute(sql`
		with recursive names(name) as (
			(select e.name from ${events} e where e.name is not null order by e.name limit 1)
			union all
			select (select e.name from ${events} e where e.name > n.name order by e.name limit 1) from names n where n.name is not null
		)
		select n.name,
			(select count(*) from ${events} e where e.name = n.name and e.timestamp >= ${since.toISOString()}::timestamptz)::int as count,
			(select max(e.timestamp) from ${events} e where e.name = n.name) as last_seen
		from names n
		where n.name is not null ${like ? sql`and n.name ilike ${like}` : sql``}
		order by count desc, n.name
		limit ${q.limit}`);
	return rowsOf<{ name: string; count: number | string; last_seen: Date | string | null }>(result).map((r) => ({
		name: r.name,
		count: Number(r.count),
		lastSeen: r.last_seen === null ? null : new Date(r.last_seen).toISOString()
	}));
}

/** Property paths of the last `PATH_SAMPLE` events named `name` (newest first through `events_name_ts_idx`). */
export async function catalogEventProperties(db: Db, name: string): Promise<string[]> {
	const rows = await db.select({ properties: events.properties }).from(events).where(eq(events.name, name)).orderBy(desc(events.timestamp)).limit(PATH_SAMPLE);
	return propertyPaths(rows.map((r) => r.properties));
}

/** Trait paths of the `PATH_SAMPLE` most recently seen live profiles (through `customers_last_seen_idx`). */
export async function catalogTraits(db: Db): Promise<string[]> {
	const rows = await db
		.select({ traits: customers.traits })
		.from(customers)
		.where(and(sql`${customers.mergedInto} is null`, sql`${customers.erasedAt} is null`, isNotNull(customers.traits)))
		.orderBy(desc(customers.lastSeenAt))
		.limit(PATH_SAMPLE);
	return propertyPaths(rows.map((r) => r.traits));
}
