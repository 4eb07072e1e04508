import { json } from '@sveltejs/kit';
import { CustomerListQuery, searchCustomers } from '$core/identity/index';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { parseQuery } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** `GET /api/v1/customers?query=&page=&pageSize=&sort=&dir=`: live customers, searched by e-mail, phone, id or name. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const denied = denyApi(locals.principal, 'customers:list');
	if (denied) return denied;
	const query = parseQuery(url, CustomerListQuery);
	if (!query.ok) return query.response;
	const { items, ...page } = await searchCustomers((await database()).db, query.data);
	return json({ customers: items, ...page });
};
