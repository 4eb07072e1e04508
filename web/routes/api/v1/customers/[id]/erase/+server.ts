import { json } from '@sveltejs/kit';
import { createProviders } from '$core/channels/index';
import { actorOf } from '$core/privacy/audit';
import { erasePerson, ErasureIncompleteError } from '$core/privacy/erasure';
import { denyApi } from '$lib/server/auth';
import { appEnv, database, temporal } from '$lib/server/context';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * `POST /api/v1/customers/:id/erase` (GDPR erasure, admins): the person and every profile merged into them, everywhere —
 * their journeys' workflows terminated and deleted from Temporal, removed from ad audiences, scrubbed from every table
 * (core/privacy/erasure.ts), and an audit row. An unknown or already erased customer answers 404; Temporal or an ad
 * provider unreachable answers 503 before anything is scrubbed, and the same request can be sent again.
 */
export const POST: RequestHandler = async ({ locals, params, getClientAddress }) => {
	const denied = denyApi(locals.principal, 'customers:erase');
	if (denied) return denied;
	const { db } = await database();
	let client;
	try {
		client = await temporal();
	} catch (err) {
		return apiError(503, 'service_unavailable', 'Temporal is unreachable: the person’s journeys cannot be ended yet. Nothing was erased; try again.', {
			cause: err instanceof Error ? err.message : String(err)
		});
	}
	try {
		const report = await erasePerson({ db, temporal: client, audiences: createProviders(appEnv()).audiences }, params.id, {
			actor: actorOf(locals.principal, getClientAddress())
		});
		if (!report) return apiError(404, 'not_found', 'No such customer (or the customer was already erased).');
		return json(report);
	} catch (err) {
		if (err instanceof ErasureIncompleteError)
			return apiError(503, 'erasure_incomplete', `${err.message}. Nothing was scrubbed yet; send the same request again.`, null, { 'retry-after': '30' });
		throw err;
	}
};
