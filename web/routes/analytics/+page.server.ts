import { AttributionQuery, attribution } from '$core/analytics/attribution';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { PageServerLoad } from './$types';

/** Cross-journey attribution; a bad query is explained and the defaults used meanwhile. */
export const load = (async ({ locals, url }) => {
	requirePage(locals.principal, 'analytics:read');
	const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v.trim() !== ''));
	const parsed = AttributionQuery.safeParse(raw);
	const query = parsed.success ? parsed.data : AttributionQuery.parse({});
	const queryError = parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
	return { result: await attribution((await database()).db, query), queryError, search: url.search };
}) satisfies PageServerLoad;
