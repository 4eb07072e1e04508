import { json } from '@sveltejs/kit';
import { database } from '$lib/server/context';
import { changeStatus } from '$lib/server/journeys';
import { journeyApi } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** Lets new customers in again. */
export const POST: RequestHandler = ({ locals, params, getClientAddress }) =>
	journeyApi(locals.principal, 'journeys:publish', async () => {
		const { journey, changed } = await changeStatus((await database()).db, params.id, 'resume', { principal: locals.principal, ip: getClientAddress() });
		return json({ journey, changed });
	});
