import { error } from '@sveltejs/kit';
import { can, type Permission, type Principal } from '$core/auth/index';
import { appEnv } from './context';
import { apiError } from './http';

export const SESSION_COOKIE = 'oc_session';

/**
 * Whether cookies get `Secure`: when this request came over https, and always when the public URL or ORIGIN is
 * https — behind a TLS-terminating proxy (or under `npm start`, which reports plain http to the app) the request
 * itself looks like http although browsers reach us over https.
 */
export function secureCookies(url: URL): boolean {
	return httpsConfigured() || url.protocol === 'https:';
}

/** Whether the deployment says browsers reach it over https (PUBLIC_URL or ORIGIN): cookies get Secure, answers HSTS. */
export function httpsConfigured(): boolean {
	return [appEnv().PUBLIC_URL, process.env.ORIGIN].some((u) => u?.toLowerCase().startsWith('https://'));
}

/**
 * Where to go after sign-in: a path on this site only. Refuses `//host`, `/\host` (browsers read a backslash as
 * a slash), anything with a scheme, and control characters, by resolving it against our origin and checking
 * the origin did not change.
 */
export function safeNext(next: string | null, origin: string): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\') || /[\u0000-\u001f\u007f]/.test(next)) return '/';
	try {
		const resolved = new URL(next, origin);
		return resolved.origin === origin ? resolved.pathname + resolved.search + resolved.hash : '/';
	} catch {
		return '/';
	}
}

/** For JSON APIs: a Response to return when the caller may not do this, else null. */
export function denyApi(principal: Principal | null, permission: Permission): Response | null {
	if (!principal) return apiError(401, 'unauthorized', 'Send a valid API key (Bearer, or Basic with the key as username).');
	const role = principal.kind === 'user' ? principal.user.role : principal.role;
	// Write keys are for ingest only, whatever role they were created with.
	const allowed = principal.kind === 'key' && principal.keyKind === 'write' ? permission === 'events:write' : can(role, permission);
	return allowed ? null : apiError(403, 'forbidden', `This credential may not ${permission.replace(':', ' ')}.`);
}

/** For pages and form actions: throws SvelteKit's 403 when the signed-in user's role may not do this. */
export function requirePage(principal: Principal | null, permission: Permission): void {
	if (principal?.kind !== 'user' || !can(principal.user.role, permission)) error(403, `Your role may not ${permission.replace(':', ' ')}.`);
}
