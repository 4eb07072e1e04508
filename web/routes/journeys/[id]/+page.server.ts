import { randomUUID } from 'node:crypto';
import { error } from '@sveltejs/kit';
import { can, type Permission } from '$core/auth/index';
import { JourneyError, ListEnrollmentsQuery, getJourney, getVersion, listEnrollments, listVersions } from '$core/journeys/index';
import { validationContext } from '$core/journeys/validation';
import { readLayout } from '$core/graph/index';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { temporalUiLink } from '$lib/server/journeys';
import { scheduleView } from '$lib/server/schedules';
import { journeyActions } from './actions.server';
import { stepCounts } from './counts.server';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
	requirePage(locals.principal, 'journeys:read');
	const { db } = await database();
	const parsed = ListEnrollmentsQuery.safeParse(Object.fromEntries(url.searchParams));
	const enrollmentQuery = parsed.success ? parsed.data : ListEnrollmentsQuery.parse({});
	try {
		const [journey, versions, enrollments, context, counts, schedule] = await Promise.all([
			getJourney(db, params.id),
			listVersions(db, params.id),
			listEnrollments(db, params.id, enrollmentQuery),
			validationContext(db),
			stepCounts(db, params.id),
			scheduleView(db, params.id)
		]);
		// What publishing would replace, for the "what will change" summary.
		const live = journey.liveVersion === null ? null : await getVersion(db, params.id, journey.liveVersion);
		const role = locals.principal?.kind === 'user' ? locals.principal.user.role : null;
		const may = (p: Permission) => role !== null && can(role, p);
		return {
			journey,
			layout: readLayout(journey.layout),
			/** Segments that exist, so the builder's in-browser validation matches the server's. */
			validationContext: context,
			liveDefinition: live?.definition ?? null,
			counts,
			/** A scheduled trigger's Temporal Schedule: its state and next runs (null: the live version is not scheduled). */
			schedule,
			versions,
			enrollments: { ...enrollments, items: enrollments.items.map((e) => ({ ...e, temporalUrl: temporalUiLink(e.id) })) },
			enrollmentStatus: enrollmentQuery.status ?? null,
			/** Names the next manual entry, so sending its form twice cannot enter the customer twice. */
			entryKey: randomUUID(),
			canWrite: may('journeys:write'),
			canPublish: may('journeys:publish')
		};
	} catch (err) {
		if (err instanceof JourneyError && err.code === 'not_found') error(404, 'No such journey.');
		throw err;
	}
}) satisfies PageServerLoad;

export const actions = journeyActions;
