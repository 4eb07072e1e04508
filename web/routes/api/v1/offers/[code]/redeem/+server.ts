import { redeemResponse } from '$core/offers/http';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { notifyRouter } from '$lib/server/routing';
import type { RequestHandler } from './$types';

/**
 * Redeems once, with `Idempotency-Key`. Needs `offers:redeem`: admins, and secret keys or users with the
 * `store` role — the till, and the web shop's server (which redeems at checkout). Ingest write keys never.
 */
export const POST: RequestHandler = async ({ params, request, locals }) => {
	const denied = denyApi(locals.principal, 'offers:redeem');
	if (denied) return denied;
	const { response, eventIds } = await redeemResponse(params.code, request, { db: (await database()).db });
	// offer_redeemed is committed with the redemption: hand it to the router to convert the journey.
	notifyRouter(eventIds);
	return response;
};
