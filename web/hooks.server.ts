import { error, isHttpError, isRedirect, redirect, type Handle, type RequestEvent } from '@sveltejs/kit';
import { principalForKey, userForSession } from '$core/auth/accounts';
import { appEnv, database } from '$lib/server/context';
import { httpsConfigured, SESSION_COOKIE } from '$lib/server/auth';
import { apiError } from '$lib/server/http';
import { decideAccess } from '$core/auth/route-access';
import { routePermissions } from '$lib/server/route-permissions';
import { withSecurityHeaders } from '$lib/server/security-headers';
import type { HandleServerError } from '@sveltejs/kit';
import {
	errorPage,
	finishFailedResponse,
	recordFailure,
	requestDeadlineMs,
	rootMessage,
	UNAVAILABLE_MESSAGES,
	unavailableDependency,
	unavailableResponse,
	withDeadline
} from '$lib/server/unavailable';

/** Pages anyone may open: sign-in, the status page, the demo shop (a storefront) and signed unsubscribe links. */
const PUBLIC_PAGES = ['/login', '/status', '/shop', '/unsubscribe'];

/**
 * Paths whose form posts come from other sites by design; each authenticates requests its own way (provider
 * signatures, a signed token, a write key).
 */
const CROSS_SITE_FORM_POSTS = [
	'/api/v1/webhooks/',
	'/unsubscribe/',
	'/api/v1/track',
	'/api/v1/identify',
	'/api/v1/page',
	'/api/v1/screen',
	'/api/v1/alias',
	'/api/v1/batch'
];

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** SvelteKit's CSRF rule (forms only from our own origin), minus the exemptions above. */
function isForbiddenCrossSiteForm(request: Request, url: URL): boolean {
	if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) return false;
	const type = request.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
	if (!FORM_TYPES.includes(type)) return false;
	if (request.headers.get('origin') === url.origin) return false;
	return !CROSS_SITE_FORM_POSTS.some((p) => url.pathname.startsWith(p));
}

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

const handleRequest: Handle = async ({ event, resolve }) => {
	if (isForbiddenCrossSiteForm(event.request, event.url)) {
		return new Response(`Cross-site ${event.request.method} form submissions are forbidden`, { status: 403 });
	}
	// The demo shop is a demo: it exists only when DEMO is on (npm start's embedded default turns it on).
	if ((event.url.pathname === '/shop' || event.url.pathname.startsWith('/shop/')) && !appEnv().DEMO) error(404, 'Not found');
	const { db } = await database();
	const key = keyFromHeader(event.request.headers.get('authorization'));
	const session = event.cookies.get(SESSION_COOKIE);
	event.locals.principal = key ? await principalForKey(db, key) : session ? await userForSession(db, session) : null;

	const path = event.url.pathname;
	const toLogin = () => redirect(303, `/login?next=${encodeURIComponent(path + event.url.search)}`);
	// Paths no route serves: SvelteKit answers 404, to signed-in people only (the app's paths are not for strangers).
	if (event.route.id === null && !path.startsWith('/api/') && !isPublicPage(path) && event.locals.principal?.kind !== 'user') toLogin();
	// The route table, enforced before any handler or load runs (core/auth/route-access.ts).
	const decision = decideAccess(routePermissions, event.route.id, event.request.method, event.locals.principal);
	if (decision.kind === 'login') toLogin();
	if (decision.kind === 'deny') {
		if (path.startsWith('/api/'))
			return apiError(decision.status, decision.code, decision.message, null, decision.allow !== undefined ? { allow: decision.allow } : {});
		// A signed-in person opening a page their role does not grant should see the app's own error page, in the app
		// shell: the page's load refuses them itself (requirePage). Should a page forget to, its answer is replaced
		// whole by the bare refusal, so nothing it loaded leaves the server.
		if (event.request.method === 'GET' && !event.isDataRequest && event.locals.principal?.kind === 'user') {
			const answer = await resolve(event);
			if (answer.status >= 400) return answer;
		}
		error(decision.status, decision.message);
	}
	return resolve(event);
};

/**
 * A redirect or an HTTP error thrown above would be answered by SvelteKit outside this hook, without the security
 * headers: answer them here instead (client-side navigations' data requests keep SvelteKit's JSON answers).
 */
function thrownAnswer(event: RequestEvent, err: unknown): Response | null {
	if (event.isDataRequest) return null;
	if (isRedirect(err)) return new Response(null, { status: err.status, headers: { location: err.location } });
	if (isHttpError(err)) return errorPage(err.status, err.body.message);
	return null;
}

/**
 * Every request answers within a deadline, and a dependency outage (here, in the API-key/session lookup, or in any
 * handler or load) answers 503 with Retry-After in our error shape instead of hanging or a bare "Internal Error".
 */
const guardedRequest: Handle = async (input) => {
	try {
		return finishFailedResponse(input.event, await withDeadline(handleRequest(input), requestDeadlineMs(input.event.url.pathname)));
	} catch (err) {
		const dependency = unavailableDependency(err);
		if (!dependency) throw err;
		console.error(`${input.event.request.method} ${input.event.url.pathname}: ${dependency} unavailable: ${rootMessage(err)}`);
		return unavailableResponse(input.event, dependency);
	}
};

/** Every answer carries the security headers (web/lib/server/security-headers.ts). */
export const handle: Handle = async (input) => {
	let response: Response;
	try {
		response = await guardedRequest(input);
	} catch (err) {
		const answer = thrownAnswer(input.event, err);
		if (!answer) throw err;
		response = answer;
	}
	return withSecurityHeaders(response, httpsConfigured());
};

/** Remembers what failed (for `handle` to answer 503) and keeps dependency errors' internals out of the page. */
export const handleError: HandleServerError = ({ error: err, event, status, message }) => {
	const dependency = recordFailure(event.locals, err);
	if (dependency) {
		console.error(`${event.request.method} ${event.url.pathname}: ${dependency} unavailable: ${rootMessage(err)}`);
		return { message: UNAVAILABLE_MESSAGES[dependency] };
	}
	if (status !== 404) console.error(err);
	return { message };
};
