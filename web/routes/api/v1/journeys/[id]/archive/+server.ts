import { json } from '@sveltejs/kit';
import { database } from '$lib/server/context';
import { archiveJourney } from '$lib/server/journeys';
import { journeyApi } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/**
 * Archives the journey: hidden from the list unless asked for, never published or entered until unarchived.
 * 409 `invalid_transition` while it is live (pause or stop it first). Archiving an archived journey is a no-op.
 */
export const POST: RequestHandler = ({ locals, params, getClientAddress }) =>
	journeyApi(locals.principal, 'journeys:write', async () =>
		json(await archiveJourney((await database()).db, params.id, true, { principal: locals.principal, ip: getClientAddress() }))
	);
