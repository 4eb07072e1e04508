import { fail, redirect } from '@sveltejs/kit';
import { can } from '$core/auth/index';
import { NODE_KINDS, isNodeType } from '$core/graph/kinds';
import { outlineOf } from '$core/graph/outline';
import { TEMPLATES } from '$core/graph/templates/index';
import { CreateJourneyInput, JourneyError, ListJourneysQuery, createJourney, duplicateJourney, listJourneys } from '$core/journeys/index';
import { archiveJourney } from '$lib/server/journeys';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { Actions, PageServerLoad } from './$types';

/** The gallery's view of each template: its steps in reading order as "kind: label", nothing heavier. */
const gallery = TEMPLATES.map((t) => ({
	id: t.id,
	name: t.name,
	description: t.description,
	channels: t.channels,
	steps: outlineOf(t.build()).map((s) => ({ id: s.id, kind: isNodeType(s.type) ? NODE_KINDS[s.type].name : s.type, label: s.label }))
}));

export const load = (async ({ locals, url }) => {
	requirePage(locals.principal, 'journeys:read');
	// A hand-edited query string falls back to the defaults rather than failing the page.
	const parsed = ListJourneysQuery.safeParse(Object.fromEntries(url.searchParams));
	const query = parsed.success ? parsed.data : ListJourneysQuery.parse({});
	const role = locals.principal?.kind === 'user' ? locals.principal.user.role : null;
	return {
		list: await listJourneys((await database()).db, query),
		query,
		filtered: (query.q !== undefined && query.q !== '') || query.status !== undefined || query.archived !== 'exclude',
		templates: gallery,
		canWrite: role !== null && can(role, 'journeys:write')
	};
}) satisfies PageServerLoad;

/** The journey id a row's form posts, or a 400. */
function journeyId(form: FormData): string | null {
	const id = form.get('id');
	return typeof id === 'string' && id !== '' ? id : null;
}

/** Runs a row action; a business refusal (a live journey cannot be archived) comes back as the row's message. */
async function rowAction(request: Request, run: (id: string) => Promise<string>) {
	const id = journeyId(await request.formData());
	if (!id) return fail(400, { action: 'row' as const, id: '', message: 'No journey was given.' });
	try {
		return { action: 'row' as const, id, message: await run(id) };
	} catch (err) {
		if (err instanceof JourneyError) return fail(err.code === 'not_found' ? 404 : 409, { action: 'row' as const, id, message: err.message });
		throw err;
	}
}

export const actions = {
	create: async ({ locals, request }) => {
		requirePage(locals.principal, 'journeys:write');
		const form = await request.formData();
		const values = { name: String(form.get('name') ?? ''), template: String(form.get('template') ?? 'blank') };
		const parsed = CreateJourneyInput.safeParse(values);
		if (!parsed.success) return fail(400, { action: 'create' as const, ...values, message: parsed.error.issues[0]!.message });
		const { journey } = await createJourney((await database()).db, parsed.data);
		redirect(303, `/journeys/${journey.id}`);
	},
	duplicate: async ({ locals, request }) => {
		requirePage(locals.principal, 'journeys:write');
		return rowAction(request, async (id) => {
			const { journey } = await duplicateJourney((await database()).db, id);
			return `Created “${journey.name}” as a draft.`;
		});
	},
	archive: async ({ locals, request, getClientAddress }) => {
		requirePage(locals.principal, 'journeys:write');
		return rowAction(request, async (id) => {
			const { journey } = await archiveJourney((await database()).db, id, true, { principal: locals.principal, ip: getClientAddress() });
			return `Archived “${journey.name}”. Find it under Archived.`;
		});
	},
	unarchive: async ({ locals, request, getClientAddress }) => {
		requirePage(locals.principal, 'journeys:write');
		return rowAction(request, async (id) => {
			const { journey } = await archiveJourney((await database()).db, id, false, { principal: locals.principal, ip: getClientAddress() });
			return `“${journey.name}” is back in the list.`;
		});
	}
} satisfies Actions;
