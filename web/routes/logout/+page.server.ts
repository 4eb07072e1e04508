import { redirect } from '@sveltejs/kit';
import { logout } from '$core/auth/accounts';
import { SESSION_COOKIE } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { Actions, PageServerLoad } from './$types';

/** Signing out is a POST (a link or an image on another page must not sign anyone out); a GET goes home. */
export const load = (() => redirect(303, '/')) satisfies PageServerLoad;

export const actions = {
	default: async ({ cookies }) => {
		const token = cookies.get(SESSION_COOKIE);
		if (token) await logout((await database()).db, token);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login');
	}
} satisfies Actions;
