import { error } from '@sveltejs/kit';
import { JourneyError, getJourney, getVersion, listVersions } from '$core/journeys/index';
import { readLayout } from '$core/graph/index';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { PageServerLoad } from './$types';

/** One published version, read-only, drawn with the layout it was published with. */
export const load = (async ({ locals, params }) => {
	requirePage(locals.principal, 'journeys:read');
	const version = Number(params.version);
	if (!Number.isInteger(version) || version < 1) error(404, 'No such version.');
	const { db } = await database();
	try {
		const [journey, row, versions] = await Promise.all([getJourney(db, params.id), getVersion(db, params.id, version), listVersions(db, params.id)]);
		return {
			journey: { id: journey.id, name: journey.name, liveVersion: journey.liveVersion },
			version: {
				version: row.version,
				publishedAt: row.publishedAt,
				publishedBy: row.publishedBy,
				definition: row.definition as unknown,
				layout: readLayout(row.layout)
			},
			versions: versions.map((v) => v.version)
		};
	} catch (err) {
		if (err instanceof JourneyError && err.code === 'not_found') error(404, err.message);
		throw err;
	}
}) satisfies PageServerLoad;
