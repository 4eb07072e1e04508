import { error } from '@sveltejs/kit';
import { JourneyError, getJourney, getVersion, listVersions } from '$core/journeys/index';
import { readLayout } from '$core/graph/index';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { PageServerLoad } from './$types';

/** Two published versions to compare: `?from=1&to=2` (defaults: the latest and the one before it). */
export const load = (async ({ locals, params, url }) => {
	requirePage(locals.principal, 'journeys:read');
	const { db } = await database();
	try {
		const [journey, versions] = await Promise.all([getJourney(db, params.id), listVersions(db, params.id)]);
		const numbers = versions.map((v) => v.version).sort((a, b) => a - b);
		const to = Number(url.searchParams.get('to') ?? numbers.at(-1));
		const from = Number(url.searchParams.get('from') ?? numbers.filter((n) => n < to).at(-1));
		if (!numbers.includes(to) || !numbers.includes(from)) error(404, 'Choose two published versions of this journey to compare.');
		const [a, b] = await Promise.all([getVersion(db, params.id, from), getVersion(db, params.id, to)]);
		return {
			journey: { id: journey.id, name: journey.name },
			versions: numbers,
			from: { version: from, definition: a.definition as unknown, layout: readLayout(a.layout) },
			to: { version: to, definition: b.definition as unknown, layout: readLayout(b.layout) }
		};
	} catch (err) {
		if (err instanceof JourneyError && err.code === 'not_found') error(404, err.message);
		throw err;
	}
}) satisfies PageServerLoad;
