import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { ListEnrollmentsQuery, ManualEntryInput, listEnrollments } from '$core/journeys/index';
import { database } from '$lib/server/context';
import { apiError } from '$lib/server/http';
import { EntryUnavailableError, enterManually } from '$lib/server/journeys';
import { journeyApi, parseBody, parseQuery } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/** Customers in this journey, newest first (`?status=&page=&pageSize=`), with the step each is at. */
export const GET: RequestHandler = ({ locals, params, url }) =>
	journeyApi(locals.principal, 'journeys:read', async () => {
		const query = parseQuery(url, ListEnrollmentsQuery);
		if (!query.ok) return query.response;
		return json(await listEnrollments((await database()).db, params.id, query.data));
	});

const IdempotencyKey = z.string().trim().min(1).max(200).optional();

/**
 * Enters one customer (`{ customerId }`, `{ userId }` or `{ email }`, plus optional `properties` for the entry
 * event) into the live version. 202: the enrollment is recorded and its workflow started; 409 with the reason
 * when the journey is not live or its settings refuse the customer; 503 when Temporal could not be reached.
 * With an `Idempotency-Key` header, repeating the request after a 503 finishes that same entry.
 */
export const POST: RequestHandler = ({ locals, params, request }) =>
	journeyApi(locals.principal, 'journeys:write', async () => {
		const key = IdempotencyKey.safeParse(request.headers.get('idempotency-key') ?? undefined);
		if (!key.success) return apiError(400, 'invalid_request', 'The Idempotency-Key header must be 1 to 200 characters.');
		const body = await parseBody(request, ManualEntryInput);
		if (!body.ok) return body.response;
		try {
			const result = await enterManually((await database()).db, params.id, body.data, key.data);
			if (!result.ok) return apiError(409, result.reason, result.message);
			return json({ enrollmentId: result.enrollmentId, n: result.n }, { status: 202 });
		} catch (err) {
			if (!(err instanceof EntryUnavailableError)) throw err;
			console.error('manual entry could not start:', err.message);
			return apiError(503, 'temporal_unavailable', 'The journey could not be started for this customer right now. Try again (with the same Idempotency-Key).');
		}
	});
