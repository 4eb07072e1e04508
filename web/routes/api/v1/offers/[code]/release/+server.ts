import { releaseResponse } from '$core/offers/http';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** Lets go of a cart's hold `{ cartId }`. Needs `offers:redeem`. */
export const POST: RequestHandler = async ({ params, request, locals }) => {
	const denied = denyApi(locals.principal, 'offers:redeem');
	if (denied) return denied;
	return releaseResponse(params.code, request, { db: (await database()).db });
};
