import { json } from '@sveltejs/kit';
import { database } from '$lib/server/context';
import { changeStatus } from '$lib/server/journeys';
import { journeyApi } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** Stops new entries; customers inside carry on. Pausing a paused journey is a no-op. */
export const POST: RequestHandler = ({ locals, params, getClientAddress }) =>
	journeyApi(locals.principal, 'journeys:publish', async () => {
		const { journey, changed } = await changeStatus((await database()).db, params.id, 'pause', { principal: locals.principal, ip: getClientAddress() });
		return json({ journey, changed });
	});
