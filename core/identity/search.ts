import { and, asc, count, desc, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { customers, identities } from '../db/schema/customers';
import { normalizeEmail, normalizePhone } from './normalize';

export const CUSTOMER_SORTS = ['lastSeenAt', 'firstSeenAt', 'ordersCount', 'lifetimeValue'] as const;

/** The customers list's query string, shared by the page and `GET /api/v1/customers`. */
export const CustomerListQuery = z.object({
	query: z.string().trim().max(200).optional(),
	page: z.coerce.number().int().min(1).max(100_000).default(1),
	pageSize: z.coerce.number().int().min(1).max(200).default(25),
	sort: z.enum(CUSTOMER_SORTS).default('lastSeenAt'),
	dir: z.enum(['asc', 'desc']).default('desc')
});
export type CustomerListQuery = z.infer<typeof CustomerListQuery>;

export type CustomerListItem = {
	id: string;
	name: string | null;
	email: string | null;
	phone: string | null;
	firstSeenAt: Date;
	lastSeenAt: Date;
	ordersCount: number;
	lifetimeValue: string;
};

export type CustomerPage = { items: CustomerListItem[]; total: number; page: number; pageSize: number };

function likePattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** What "search by e-mail, phone or id" matches: the id exactly, any identifier or the name partly, a phone by its digits. */
function matchesQuery(q: string): SQL {
	const exact = [normalizeEmail(q), normalizePhone(q)].filter((v): v is string => v !== null);
	const digits = q.replace(/\D/g, '');
	const identity = [sql`i.value ilike ${likePattern(q)}`];
	for (const v of exact) identity.push(sql`i.value = ${v}`);
	if (digits.length >= 4) identity.push(sql`(i.kind = 'phone' and i.value like ${likePattern(digits)})`);
	return sql`(${customers.id} = ${q}
		or exists (select 1 from ${identities} i where i.customer_id = ${customers.id} and (${sql.join(identity, sql` or `)}))
		or ${customers.traits}->>'name' ilike ${likePattern(q)})`;
}

const firstIdentity = (kind: 'email' | 'phone') =>
	sql<
		string | null
	>`(select i.value from ${identities} i where i.customer_id = ${customers.id} and i.kind = ${kind} order by i.first_seen_at, i.value limit 1)`;

/** Live customers (not merged away, not erased), searched, sorted and paged in SQL. */
export async function searchCustomers(db: Db, input: Partial<CustomerListQuery> = {}): Promise<CustomerPage> {
	const q = CustomerListQuery.parse(input);
	const where = and(sql`${customers.mergedInto} is null and ${customers.erasedAt} is null`, q.query ? matchesQuery(q.query) : undefined);
	const column = customers[q.sort];
	const [totalRow] = await db.select({ n: count() }).from(customers).where(where);
	const items = await db
		.select({
			id: customers.id,
			name: sql<string | null>`${customers.traits}->>'name'`,
			email: firstIdentity('email'),
			phone: firstIdentity('phone'),
			firstSeenAt: customers.firstSeenAt,
			lastSeenAt: customers.lastSeenAt,
			ordersCount: customers.ordersCount,
			lifetimeValue: customers.lifetimeValue
		})
		.from(customers)
		.where(where)
		.orderBy(q.dir === 'asc' ? asc(column) : desc(column), asc(customers.id))
		.limit(q.pageSize)
		.offset((q.page - 1) * q.pageSize);
	return { items, total: totalRow?.n ?? 0, page: q.page, pageSize: q.pageSize };
}
