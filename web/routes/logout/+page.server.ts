import { redirect } from '@sveltejs/kit';
import { logout } from '$core/auth/accounts';
import { SESSION_COOKIE } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { Actions } from './$types';

export const actions = {
	default: async ({ cookies }) => {
		const token = cookies.get(SESSION_COOKIE);
		if (token) await logout((await database()).db, token);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login');
	}
} satisfies Actions;
