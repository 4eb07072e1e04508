import { getOfferResponse } from '$core/offers/http';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** One offer by code (typed at the till or scanned from its QR code). Needs `customers:read`. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const denied = denyApi(locals.principal, 'customers:read');
	if (denied) return denied;
	return getOfferResponse(params.code, { db: (await database()).db });
};
