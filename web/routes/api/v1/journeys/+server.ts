import { json } from '@sveltejs/kit';
import { CreateJourneyInput, ListJourneysQuery, createJourney, listJourneys } from '$core/journeys/index';
import { database } from '$lib/server/context';
import { journeyApi, parseBody, parseQuery } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** Journeys, paged and sorted (`?page=&pageSize=&sort=name|status|createdAt|updatedAt&dir=&status=&q=&archived=exclude|only|include`), with their customer counts. */
export const GET: RequestHandler = ({ locals, url }) =>
	journeyApi(locals.principal, 'journeys:read', async () => {
		const query = parseQuery(url, ListJourneysQuery);
		if (!query.ok) return query.response;
		return json(await listJourneys((await database()).db, query.data));
	});

/** Creates a journey with a draft: the one sent, a template (an id from `GET /journey-templates`), or the minimal valid graph. */
export const POST: RequestHandler = ({ locals, request }) =>
	journeyApi(locals.principal, 'journeys:write', async () => {
		const body = await parseBody(request, CreateJourneyInput);
		if (!body.ok) return body.response;
		const created = await createJourney((await database()).db, body.data);
		return json(created, { status: 201, headers: { location: `/api/v1/journeys/${created.journey.id}` } });
	});
