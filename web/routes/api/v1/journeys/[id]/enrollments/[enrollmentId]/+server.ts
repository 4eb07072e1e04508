import { json } from '@sveltejs/kit';
import { database } from '$lib/server/context';
import { enrollmentWithState, temporalUiLink } from '$lib/server/journeys';
import { journeyApi } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** The enrollment row, its step log, and where it is now (asked of its workflow, else read from the log). */
export const GET: RequestHandler = ({ locals, params }) =>
	journeyApi(locals.principal, 'journeys:read', async () => {
		const { enrollment, steps, state } = await enrollmentWithState((await database()).db, params.id, params.enrollmentId);
		return json({ enrollment, steps, state, temporalUiUrl: temporalUiLink(enrollment.id) });
	});
