import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { login } from '$core/auth/accounts';
import { loginThrottle, throttleMessage } from '$core/auth/throttle';
import { safeNext, secureCookies, SESSION_COOKIE } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { Actions } from './$types';

const credentials = z.object({ email: z.string().email('Enter an e-mail address.').max(320), password: z.string().min(1, 'Enter your password.').max(1000) });

function clientIp(getClientAddress: () => string): string {
	try {
		return getClientAddress();
	} catch {
		return 'unknown';
	}
}

export const actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = Object.fromEntries(await request.formData());
		const parsed = credentials.safeParse(form);
		if (!parsed.success) return fail(400, { email: String(form.email ?? '').slice(0, 320), message: parsed.error.issues[0]!.message });
		const { email, password } = parsed.data;
		const ip = clientIp(getClientAddress);
		// Throttled before any password work: a refused attempt costs the attacker a turn and us nothing.
		const wait = loginThrottle.check(ip, email);
		if (wait !== null) return fail(429, { email, message: throttleMessage(wait) });
		const { db } = await database();
		const result = await login(db, email, password);
		if (!result) {
			loginThrottle.failed(ip, email);
			return fail(400, { email, message: 'Wrong e-mail or password.' });
		}
		loginThrottle.succeeded(email);
		cookies.set(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(url), maxAge: 14 * 24 * 3600 });
		redirect(303, safeNext(url.searchParams.get('next'), url.origin));
	}
} satisfies Actions;
