import { actorOf } from '$core/privacy/audit';
import { exportCustomer } from '$core/privacy/export';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * `GET /api/v1/customers/:id/export` (admins): everything we hold about the person as one JSON file
 * (core/privacy/export.ts), offered as a download. Each export is recorded in the audit log.
 */
export const GET: RequestHandler = async ({ locals, params, getClientAddress }) => {
	const denied = denyApi(locals.principal, 'customers:export');
	if (denied) return denied;
	const file = await exportCustomer((await database()).db, params.id, { actor: actorOf(locals.principal, getClientAddress()) });
	if (!file) return apiError(404, 'not_found', 'No such customer (or the customer was erased).');
	const name = `customer-${file.customerId.replace(/[^\w.-]/g, '_')}-${file.exportedAt.slice(0, 10)}.json`;
	return new Response(JSON.stringify(file, null, 2), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			// Personal data: never kept by a browser or proxy cache.
			'cache-control': 'no-store'
		}
	});
};
