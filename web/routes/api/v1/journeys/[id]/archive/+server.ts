import { json } from '@sveltejs/kit';
import { setArchived } from '$core/journeys/index';
import { database } from '$lib/server/context';
import { journeyApi } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/**
 * Archives the journey: hidden from the list unless asked for, never published or entered until unarchived.
 * 409 `invalid_transition` while it is live (pause or stop it first). Archiving an archived journey is a no-op.
 */
export const POST: RequestHandler = ({ locals, params }) =>
	journeyApi(locals.principal, 'journeys:write', async () => json(await setArchived((await database()).db, params.id, true)));
