import { json } from '@sveltejs/kit';
import { database } from '$lib/server/context';
import { archiveJourney } from '$lib/server/journeys';
import { journeyApi } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** Brings an archived journey back to the list with the status it had; a no-op when it is not archived. */
export const POST: RequestHandler = ({ locals, params, getClientAddress }) =>
	journeyApi(locals.principal, 'journeys:write', async () =>
		json(await archiveJourney((await database()).db, params.id, false, { principal: locals.principal, ip: getClientAddress() }))
	);
