import { json } from '@sveltejs/kit';
import { catalogSegments } from '$core/catalog/index';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** `GET /api/v1/catalog/segments` → `{ segments: [{ id, name }] }`: what a segment trigger can name. */
export const GET: RequestHandler = async ({ locals }) => {
	const denied = denyApi(locals.principal, 'journeys:read');
	if (denied) return denied;
	return json({ segments: await catalogSegments((await database()).db) });
};
