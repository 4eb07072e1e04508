import { json } from '@sveltejs/kit';
import { getVersion } from '$core/journeys/index';
import { database } from '$lib/server/context';
import { apiError } from '$lib/server/http';
import { journeyApi } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** One published version with its (immutable) definition. */
export const GET: RequestHandler = ({ locals, params }) =>
	journeyApi(locals.principal, 'journeys:read', async () => {
		const version = Number(params.version);
		if (!Number.isSafeInteger(version) || version < 1) return apiError(404, 'not_found', `There is no version “${params.version}”.`);
		return json(await getVersion((await database()).db, params.id, version));
	});
