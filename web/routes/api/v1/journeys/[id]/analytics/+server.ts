import { journeyAnalytics } from '$core/analytics/index';
import { database } from '$lib/server/context';
import { analyticsApi, json } from '$lib/analytics/api.server';
import type { RequestHandler } from './$types';

/**
 * The journey's analytics (`?version=all|N&variant=&channel=&from=YYYY-MM-DD&to=YYYY-MM-DD`, entry days, UTC):
 * KPIs, per node and per edge funnel, daily cohorts, engagement per step and channel, and the A/B table.
 * CSV of each table: `./analytics/{nodes,edges,messages,variants,daily}.csv` with the same query.
 */
export const GET: RequestHandler = ({ locals, params, url }) =>
	analyticsApi(locals.principal, url, async (filters) => json(await journeyAnalytics((await database()).db, params.id, filters)));
