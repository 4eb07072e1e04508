import { checkHealth, healthDetailsAllowed } from '$lib/server/health';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
	const detailed = healthDetailsAllowed(locals.principal);
	return { health: await checkHealth({ detailed }), detailed };
}) satisfies PageServerLoad;
