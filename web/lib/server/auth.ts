import { error } from '@sveltejs/kit';
import { can, type Permission, type Principal } from '$core/auth/index';
import { apiError } from './http';

export const SESSION_COOKIE = 'oc_session';

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
	if (principal?.kind !== 'user' || !can(principal.user.role, permission)) error(403, `Your role may not ${permission.replace(":", " ")}.`);
}
