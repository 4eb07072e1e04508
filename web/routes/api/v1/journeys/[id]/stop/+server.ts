import { json } from '@sveltejs/kit';
import { StopInput } from '$core/journeys/index';
import { database } from '$lib/server/context';
import { changeStatus } from '$lib/server/journeys';
import { journeyApi, parseBody } from '$lib/server/journeys-api';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * Stops the journey for good (`{ mode: 'drain' }`, the default: customers inside finish; `'end'`: they leave
 * now, each workflow recording "journey stopped"). 503 when the stop held but Temporal could not be reached to
 * end the enrollments; sending it again ends whoever is still inside.
 */
export const POST: RequestHandler = ({ locals, params, request, getClientAddress }) =>
	journeyApi(locals.principal, 'journeys:publish', async () => {
		const body = await parseBody(request, StopInput);
		if (!body.ok) return body.response;
		const { journey, changed, ended, endError } = await changeStatus(
			(await database()).db,
			params.id,
			'stop',
			{ principal: locals.principal, ip: getClientAddress() },
			body.data.mode
		);
		if (endError)
			return apiError(503, 'temporal_unavailable', 'The journey is stopped, but the customers inside could not be ended yet. Try again.', { reason: endError });
		return json({ journey, changed, ended });
	});
