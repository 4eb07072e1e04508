import { fail, redirect } from '@sveltejs/kit';
import { can } from '$core/auth/index';
import { CreateJourneyInput, ListJourneysQuery, createJourney, listJourneys } from '$core/journeys/index';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
	requirePage(locals.principal, 'journeys:read');
	// A hand-edited query string falls back to the defaults rather than failing the page.
	const parsed = ListJourneysQuery.safeParse(Object.fromEntries(url.searchParams));
	const query = parsed.success ? parsed.data : ListJourneysQuery.parse({});
	const role = locals.principal?.kind === 'user' ? locals.principal.user.role : null;
	return {
		list: await listJourneys((await database()).db, query),
		query,
		canWrite: role !== null && can(role, 'journeys:write')
	};
}) satisfies PageServerLoad;

export const actions = {
	create: async ({ locals, request }) => {
		requirePage(locals.principal, 'journeys:write');
		const form = await request.formData();
		const values = { name: String(form.get('name') ?? ''), template: String(form.get('template') ?? 'blank') };
		const parsed = CreateJourneyInput.safeParse(values);
		if (!parsed.success) return fail(400, { ...values, message: parsed.error.issues[0]!.message });
		const { journey } = await createJourney((await database()).db, parsed.data);
		redirect(303, `/journeys/${journey.id}`);
	}
} satisfies Actions;
