import { reserveResponse } from '$core/offers/http';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** Holds the offer for a cart `{ cartId, holdSeconds? }`. Needs `offers:redeem` (the shop's server key). */
export const POST: RequestHandler = async ({ params, request, locals }) => {
	const denied = denyApi(locals.principal, 'offers:redeem');
	if (denied) return denied;
	return reserveResponse(params.code, request, { db: (await database()).db });
};
