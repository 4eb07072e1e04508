import { json } from '@sveltejs/kit';
import { catalogEventProperties } from '$core/catalog/index';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** `GET /api/v1/catalog/events/{name}/properties` → `{ paths }`: property paths in recent events of that name. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const denied = denyApi(locals.principal, 'journeys:read');
	if (denied) return denied;
	return json({ paths: await catalogEventProperties((await database()).db, params.name) });
};
