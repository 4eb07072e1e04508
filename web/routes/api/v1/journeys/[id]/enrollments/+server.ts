import { json } from '@sveltejs/kit';
import { ListEnrollmentsQuery, ManualEntryInput, listEnrollments } from '$core/journeys/index';
import { database } from '$lib/server/context';
import { apiError } from '$lib/server/http';
import { enterManually } from '$lib/server/journeys';
import { journeyApi, parseBody, parseQuery } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** Customers in this journey, newest first (`?status=&page=&pageSize=`), with the step each is at. */
export const GET: RequestHandler = ({ locals, params, url }) =>
	journeyApi(locals.principal, 'journeys:read', async () => {
		const query = parseQuery(url, ListEnrollmentsQuery);
		if (!query.ok) return query.response;
		return json(await listEnrollments((await database()).db, params.id, query.data));
	});

/**
 * Enters one customer (`{ customerId }`, `{ userId }` or `{ email }`, plus optional `properties` for the entry
 * event) into the live version. 202: the enrollment is recorded and its workflow started; 409 with the reason
 * when the journey is not live or its settings refuse the customer.
 */
export const POST: RequestHandler = ({ locals, params, request }) =>
	journeyApi(locals.principal, 'journeys:write', async () => {
		const body = await parseBody(request, ManualEntryInput);
		if (!body.ok) return body.response;
		const result = await enterManually((await database()).db, params.id, body.data);
		if (!result.ok) return apiError(409, result.reason, result.message);
		return json({ enrollmentId: result.enrollmentId, n: result.n }, { status: 202 });
	});
