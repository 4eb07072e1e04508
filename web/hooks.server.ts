import { redirect, type Handle } from '@sveltejs/kit';
import { principalForKey, userForSession } from '$core/auth/accounts';
import { database } from '$lib/server/context';
import { SESSION_COOKIE } from '$lib/server/auth';

/** Pages anyone may open: sign-in, the status page, and the demo shop (a customer-facing storefront). */
const PUBLIC_PAGES = ['/login', '/status', '/shop'];

function isPublicPage(path: string): boolean {
	return PUBLIC_PAGES.some((p) => path === p || path.startsWith(`${p}/`));
}

/** `Authorization: Bearer <key>` or HTTP Basic with the key as username (how Segment's clients send write keys). */
function keyFromHeader(header: string | null): string | null {
	if (!header) return null;
	const [scheme, value] = header.split(' ', 2);
	if (!value) return null;
	if (scheme?.toLowerCase() === 'bearer') return value.trim();
	if (scheme?.toLowerCase() === 'basic') {
		const decoded = Buffer.from(value, 'base64').toString('utf8');
		return decoded.split(':', 1)[0] || null;
	}
	return null;
}

export const handle: Handle = async ({ event, resolve }) => {
	const { db } = await database();
	const key = keyFromHeader(event.request.headers.get('authorization'));
	const session = event.cookies.get(SESSION_COOKIE);
	event.locals.principal = key ? await principalForKey(db, key) : session ? await userForSession(db, session) : null;

	const path = event.url.pathname;
	// APIs answer 401 themselves in the JSON error shape; pages send people to sign in.
	if (!path.startsWith('/api/') && !isPublicPage(path) && event.locals.principal?.kind !== 'user') {
		redirect(303, `/login?next=${encodeURIComponent(path + event.url.search)}`);
	}
	return resolve(event);
};
