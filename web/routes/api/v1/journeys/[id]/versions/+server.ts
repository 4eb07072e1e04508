import { json } from '@sveltejs/kit';
import { listVersions } from '$core/journeys/index';
import { database } from '$lib/server/context';
import { journeyApi } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** Published versions, newest first, with the live one marked and how many customers entered each. */
export const GET: RequestHandler = ({ locals, params }) =>
	journeyApi(locals.principal, 'journeys:read', async () => json({ items: await listVersions((await database()).db, params.id) }));
