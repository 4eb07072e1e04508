import { json } from '@sveltejs/kit';
import { setArchived } from '$core/journeys/index';
import { database } from '$lib/server/context';
import { journeyApi } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** Brings an archived journey back to the list with the status it had; a no-op when it is not archived. */
export const POST: RequestHandler = ({ locals, params }) =>
	journeyApi(locals.principal, 'journeys:write', async () => json(await setArchived((await database()).db, params.id, false)));
