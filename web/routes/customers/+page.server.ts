import { CustomerListQuery, searchCustomers } from '$core/identity/index';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
	// Browsing everyone is not the till's job: store associates look one customer up on the Store page.
	requirePage(locals.principal, 'customers:list');
	// A hand-edited query string falls back to the defaults rather than failing the page.
	const parsed = CustomerListQuery.safeParse(Object.fromEntries(url.searchParams));
	const query = parsed.success ? parsed.data : CustomerListQuery.parse({ query: url.searchParams.get('query') ?? undefined });
	return { list: await searchCustomers((await database()).db, query), query };
}) satisfies PageServerLoad;
