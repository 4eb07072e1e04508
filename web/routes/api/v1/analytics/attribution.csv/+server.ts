import { ATTRIBUTION_HEADER, attributionApi, attributionRows } from '$lib/analytics/attribution-api.server';
import { csvResponse } from '$lib/analytics/api.server';
import type { RequestHandler } from './$types';

/** The attribution table as CSV (same query as the JSON). */
export const GET: RequestHandler = ({ locals, url }) =>
	attributionApi(locals.principal, url, (a) => csvResponse('attribution.csv', ATTRIBUTION_HEADER, attributionRows(a)));
