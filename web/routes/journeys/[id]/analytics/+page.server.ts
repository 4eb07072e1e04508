import { error } from '@sveltejs/kit';
import { AnalyticsFilters, AnalyticsNotFound, filtersFromParams, journeyAnalytics } from '$core/analytics/index';
import { getVersion } from '$core/journeys/index';
import { readLayout } from '$core/graph/index';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { PageServerLoad } from './$types';

/** The journey dashboard: filters from the URL (a bad one is explained, and the defaults used meanwhile). */
export const load = (async ({ locals, params, url }) => {
	requirePage(locals.principal, 'analytics:read');
	const { db } = await database();
	const parsed = filtersFromParams(url.searchParams);
	const filters = parsed.success ? parsed.data : AnalyticsFilters.parse({});
	const filterError = parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join('.') || 'filters'}: ${i.message}`).join('; ');
	try {
		const analytics = await journeyAnalytics(db, params.id, filters, { perNodeDaily: true });
		const shown = analytics.shownVersion === null ? null : await getVersion(db, params.id, analytics.shownVersion);
		return { analytics, filterError, canvas: shown ? { draft: shown.definition, layout: readLayout(shown.layout) } : null, query: url.search };
	} catch (err) {
		if (err instanceof AnalyticsNotFound) error(404, err.message);
		throw err;
	}
}) satisfies PageServerLoad;
