import { json } from '@sveltejs/kit';
import { database } from '$lib/server/context';
import { publishJourney } from '$lib/server/journeys';
import { journeyApi } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/**
 * Publishes the draft as the next version and makes it live (201 when a version was created, 200 when the draft
 * equals the latest version). 422 `invalid_journey` with the problems as details when the draft is not ready.
 */
export const POST: RequestHandler = ({ locals, params, getClientAddress }) =>
	journeyApi(locals.principal, 'journeys:publish', async () => {
		const result = await publishJourney((await database()).db, params.id, locals.principal, getClientAddress());
		return json(result, { status: result.created ? 201 : 200 });
	});
