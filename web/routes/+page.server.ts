import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** Home is the journeys list until there is a dashboard worth more. */
export const load = (() => redirect(307, '/journeys')) satisfies PageServerLoad;
