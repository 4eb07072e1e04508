import { json } from '@sveltejs/kit';
import type { Permission, Principal } from '$core/auth/index';
import { AnalyticsNotFound, filtersFromParams, type AnalyticsFilters } from '$core/analytics/index';
import { csvStream, type Cell } from '$core/analytics/csv';
import { denyApi } from '$lib/server/auth';
import { apiError } from '$lib/server/http';

/** Permission, then the query's filters (400 with the issues), then the handler; an unknown journey is a 404. */
export async function analyticsApi(
	principal: Principal | null,
	url: URL,
	run: (filters: AnalyticsFilters) => Promise<Response>,
	permission: Permission = 'analytics:read'
): Promise<Response> {
	const denied = denyApi(principal, permission);
	if (denied) return denied;
	const parsed = filtersFromParams(url.searchParams);
	if (!parsed.success) {
		return apiError(
			400,
			'invalid_request',
			'The query string is not valid.',
			parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
		);
	}
	try {
		return await run(parsed.data);
	} catch (err) {
		if (err instanceof AnalyticsNotFound) return apiError(404, 'not_found', err.message);
		throw err;
	}
}

export function csvResponse(filename: string, header: readonly string[], rows: Iterable<readonly Cell[]>): Response {
	return new Response(csvStream(header, rows), {
		headers: {
			'content-type': 'text/csv; charset=utf-8; header=present',
			'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
			'cache-control': 'no-store'
		}
	});
}

export { json };
