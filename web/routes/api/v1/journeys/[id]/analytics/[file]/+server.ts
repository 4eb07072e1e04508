import { journeyAnalytics } from '$core/analytics/index';
import { JOURNEY_TABLES, journeyTable, type JourneyTable } from '$core/analytics/tables';
import { database } from '$lib/server/context';
import { apiError } from '$lib/server/http';
import { analyticsApi, csvResponse } from '$lib/analytics/api.server';
import type { RequestHandler } from './$types';

/** One dashboard table as CSV: nodes.csv, edges.csv, messages.csv, variants.csv or daily.csv (same filters as the JSON). */
export const GET: RequestHandler = ({ locals, params, url }) =>
	analyticsApi(locals.principal, url, async (filters) => {
		const table = params.file.replace(/\.csv$/, '') as JourneyTable;
		if (!params.file.endsWith('.csv') || !JOURNEY_TABLES.includes(table)) {
			return apiError(404, 'not_found', `No such export. Use one of: ${JOURNEY_TABLES.map((t) => `${t}.csv`).join(', ')}.`);
		}
		const { header, rows } = journeyTable(await journeyAnalytics((await database()).db, params.id, filters), table);
		return csvResponse(`journey-${params.id}-${table}.csv`, header, rows);
	});
