import { json } from '@sveltejs/kit';
import { UpdateJourneyInput, getJourneyWithValidation, updateDraft } from '$core/journeys/index';
import { database } from '$lib/server/context';
import { journeyApi, parseBody } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** The journey with its draft and the draft's validation problems. */
export const GET: RequestHandler = ({ locals, params }) =>
	journeyApi(locals.principal, 'journeys:read', async () => json(await getJourneyWithValidation((await database()).db, params.id)));

/** Saves name, description and/or draft; an invalid draft is saved too, with its problems in the answer. */
export const PATCH: RequestHandler = ({ locals, params, request }) =>
	journeyApi(locals.principal, 'journeys:write', async () => {
		const body = await parseBody(request, UpdateJourneyInput);
		if (!body.ok) return body.response;
		return json(await updateDraft((await database()).db, params.id, body.data));
	});
