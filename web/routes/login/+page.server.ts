import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { login } from '$core/auth/accounts';
import { SESSION_COOKIE } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { Actions } from './$types';

const credentials = z.object({ email: z.string().email('Enter an e-mail address.'), password: z.string().min(1, 'Enter your password.') });

/** Only same-site paths, so `next` cannot send someone elsewhere after sign-in. */
function safeNext(next: string | null): string {
	return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export const actions = {
	default: async ({ request, cookies, url }) => {
		const form = Object.fromEntries(await request.formData());
		const parsed = credentials.safeParse(form);
		if (!parsed.success) return fail(400, { email: String(form.email ?? ''), message: parsed.error.issues[0]!.message });
		const { db } = await database();
		const result = await login(db, parsed.data.email, parsed.data.password);
		if (!result) return fail(400, { email: parsed.data.email, message: 'Wrong e-mail or password.' });
		cookies.set(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: 14 * 24 * 3600 });
		redirect(303, safeNext(url.searchParams.get('next')));
	}
} satisfies Actions;
