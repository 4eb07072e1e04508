import { json } from '@sveltejs/kit';
import { getJourney } from '$core/journeys/index';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { withApiErrors } from '$lib/server/http';
import { stepCounts } from '../counts.server';
import type { RequestHandler } from './$types';

/** The builder polls this for the live counts on its nodes (page data, not part of the public API). */
export const GET: RequestHandler = async ({ locals, params }) => {
	requirePage(locals.principal, 'journeys:read');
	const { db } = await database();
	return withApiErrors(async () => {
		await getJourney(db, params.id);
		return json(await stepCounts(db, params.id), { headers: { 'cache-control': 'no-store' } });
	});
};
