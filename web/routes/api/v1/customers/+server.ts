import { json } from '@sveltejs/kit';
import { CustomerListQuery, searchCustomers } from '$core/identity/index';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { validationError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `GET /api/v1/customers?query=&page=&pageSize=&sort=&dir=`: live customers, searched by e-mail, phone, id or name. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const denied = denyApi(locals.principal, 'customers:read');
	if (denied) return denied;
	const parsed = CustomerListQuery.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) return validationError(parsed.error);
	const { items, ...page } = await searchCustomers((await database()).db, parsed.data);
	return json({ customers: items, ...page });
};
