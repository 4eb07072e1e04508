import { checkHealth } from '$lib/server/health';
import type { PageServerLoad } from './$types';

export const load = (async () => ({ health: await checkHealth() })) satisfies PageServerLoad;
