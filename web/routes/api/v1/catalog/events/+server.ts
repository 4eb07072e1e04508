import { json } from '@sveltejs/kit';
import { CatalogEventsQuery, catalogEvents } from '$core/catalog/index';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { parseQuery } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** `GET /api/v1/catalog/events?q=&limit=` → `{ events: [{ name, count, lastSeen }] }`: event names ingest has seen. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const denied = denyApi(locals.principal, 'journeys:read');
	if (denied) return denied;
	const query = parseQuery(url, CatalogEventsQuery);
	if (!query.ok) return query.response;
	return json({ events: await catalogEvents((await database()).db, query.data) });
};
