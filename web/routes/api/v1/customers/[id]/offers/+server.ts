import { listOffersResponse } from '$core/offers/http';
import { seesFullCodes } from '$core/offers/view';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { RequestHandler } from './$types';

/**
 * The web cart's view: the customer's usable offers. `[id]` is our customer id; pass `?by=userId|anonymousId|
 * email|phone|loyaltyId` to look the customer up by that identifier instead.
 */
export const GET: RequestHandler = async ({ params, url, locals }) => {
	const denied = denyApi(locals.principal, 'customers:read');
	if (denied) return denied;
	const by = url.searchParams.get('by') ?? 'customerId';
	const lookup = new URL(url);
	lookup.search = '';
	lookup.searchParams.set(by, params.id);
	return listOffersResponse(lookup, { db: (await database()).db }, { fullCodes: seesFullCodes(locals.principal) });
};
