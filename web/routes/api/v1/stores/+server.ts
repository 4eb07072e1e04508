import { json } from '@sveltejs/kit';
import { listStores } from '$core/commerce/index';
import { database } from '$lib/server/context';
import { journeyApi } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** Every store (id, name, address, city, country, time zone, opening hours), by name. */
export const GET: RequestHandler = ({ locals }) =>
	journeyApi(locals.principal, 'customers:read', async () => json({ stores: await listStores((await database()).db) }));
