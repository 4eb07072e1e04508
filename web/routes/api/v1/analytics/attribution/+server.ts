import { json } from '@sveltejs/kit';
import { attributionApi } from '$lib/analytics/attribution-api.server';
import type { RequestHandler } from './$types';

/**
 * Cross-journey attribution (`?from=&to=` conversion days, `lookbackDays=30`, `journey=`): for converting
 * customers, first-touch, last-touch and linear credit per channel and per journey. CSV: `attribution.csv`.
 */
export const GET: RequestHandler = ({ locals, url }) => attributionApi(locals.principal, url, (a) => json(a));
