import { json } from '@sveltejs/kit';
import { catalogTraits } from '$core/catalog/index';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** `GET /api/v1/catalog/traits` → `{ paths }`: profile trait paths of recently seen customers. */
export const GET: RequestHandler = async ({ locals }) => {
	const denied = denyApi(locals.principal, 'journeys:read');
	if (denied) return denied;
	return json({ paths: await catalogTraits((await database()).db) });
};
