import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals }) => ({
	user: locals.principal?.kind === 'user' ? locals.principal.user : null
})) satisfies LayoutServerLoad;
