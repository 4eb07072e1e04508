import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { customerDetail } from '$core/identity/index';
import { seesFullCodes } from '$core/offers/view';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { apiError } from '$lib/server/http';
import { parseQuery } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

const TimelineQuery = z.object({
	limit: z.coerce.number().int().min(1).max(500).default(100),
	before: z.iso.datetime({ offset: true }).optional()
});

/**
 * `GET /api/v1/customers/:id?limit=&before=`: the profile, its identities, merges, offers, enrollments and
 * timeline (newest first; `before` pages back). A merged-away id answers with the survivor (`requestedId`).
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const denied = denyApi(locals.principal, 'customers:read');
	if (denied) return denied;
	const q = parseQuery(url, TimelineQuery);
	if (!q.ok) return q.response;
	const detail = await customerDetail((await database()).db, params.id, {
		timelineLimit: q.data.limit,
		before: q.data.before ? new Date(q.data.before) : undefined,
		fullCodes: seesFullCodes(locals.principal)
	});
	if (!detail) return apiError(404, 'not_found', 'No such customer (or the customer was erased).');
	return json(detail);
};
