import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { getJourney, validateDefinition } from '$core/journeys/index';
import { database } from '$lib/server/context';
import { journeyApi, parseBody } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

const Body = z.object({ definition: z.unknown().optional() });

/** Validates `{ definition }` when sent (the builder's unsaved state), else the stored draft. Saves nothing. */
export const POST: RequestHandler = ({ locals, params, request }) =>
	journeyApi(locals.principal, 'journeys:read', async () => {
		const body = await parseBody(request, Body);
		if (!body.ok) return body.response;
		const { db } = await database();
		const journey = await getJourney(db, params.id);
		return json(await validateDefinition(db, body.data.definition !== undefined ? body.data.definition : journey.draft));
	});
