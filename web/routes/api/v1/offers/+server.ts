import { listOffersResponse } from '$core/offers/http';
import { seesFullCodes } from '$core/offers/view';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** The customer's usable offers, by any identifier (see core/offers/http.ts). Needs `customers:read`. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const denied = denyApi(locals.principal, 'customers:read');
	if (denied) return denied;
	return listOffersResponse(url, { db: (await database()).db }, { fullCodes: seesFullCodes(locals.principal) });
};
