import { json } from '@sveltejs/kit';
import { DuplicateJourneyInput, duplicateJourney } from '$core/journeys/index';
import { database } from '$lib/server/context';
import { journeyApi, parseBody } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/**
 * Copies the journey's draft and layout into a new draft journey (201), named `{ "name" }` or "<name> (copy)".
 * Versions, status and customers are not copied.
 */
export const POST: RequestHandler = ({ locals, params, request }) =>
	journeyApi(locals.principal, 'journeys:write', async () => {
		const body = await parseBody(request, DuplicateJourneyInput);
		if (!body.ok) return body.response;
		const created = await duplicateJourney((await database()).db, params.id, body.data);
		return json(created, { status: 201, headers: { location: `/api/v1/journeys/${created.journey.id}` } });
	});
