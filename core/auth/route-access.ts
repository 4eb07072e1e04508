import type { Principal } from './accounts';
import { can, type Permission } from './roles';

/**
 * The route table (web/lib/server/route-permissions.ts) enforced by the web app's request hook before any handler
 * or load runs, so a handler that forgets its own check is still protected. Handlers keep their checks for finer
 * rules (a form action needing more than its page); this is the floor. Pure, so it is tested without a server.
 *
 * - A route missing from the table is refused (403) whoever calls: a new route stays closed until declared.
 * - A method the table does not declare for an API route answers 405 (no such handler, or one nobody declared).
 *   Pages: GET/HEAD open them; POST (their form actions) needs at least what opening the page needs.
 */
export type RouteAccess = Permission | 'public' | 'signed' | 'user' | 'demo';
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteTable = Record<string, Partial<Record<RouteMethod, RouteAccess>>>;

export type AccessDecision =
	| { kind: 'allow' }
	/** A page asked for by someone not signed in: send them to sign in. */
	| { kind: 'login' }
	| { kind: 'deny'; status: 401 | 403 | 405; code: string; message: string; allow?: string };

const ALLOW: AccessDecision = { kind: 'allow' };

/** Whether this principal holds `permission`. Write keys are for ingest only, whatever role they were created with. */
export function principalCan(principal: Principal, permission: Permission): boolean {
	if (principal.kind === 'key' && principal.keyKind === 'write') return permission === 'events:write';
	return can(principal.kind === 'user' ? principal.user.role : principal.role, permission);
}

/** What to do with `method` on `routeId` (SvelteKit's route id; null when no route matches, which answers 404 anyway). */
export function decideAccess(table: RouteTable, routeId: string | null, method: string, principal: Principal | null): AccessDecision {
	if (routeId === null || method === 'OPTIONS') return ALLOW;
	const isApi = routeId === '/api' || routeId.startsWith('/api/');
	const entry = table[routeId];
	if (!entry) return { kind: 'deny', status: 403, code: 'forbidden', message: 'This route is not open to anyone yet.' };
	const m = (method === 'HEAD' ? 'GET' : method) as RouteMethod;
	const access = entry[m] ?? (!isApi && m === 'POST' ? entry.GET : undefined);
	if (!access)
		return { kind: 'deny', status: 405, code: 'method_not_allowed', message: `${method} is not allowed here.`, allow: Object.keys(entry).join(', ') };
	if (access === 'public' || access === 'signed' || access === 'demo') return ALLOW;
	// Pages are for people: anything but a signed-in user is sent to sign in.
	if (!isApi && principal?.kind !== 'user') return { kind: 'login' };
	if (!principal) return { kind: 'deny', status: 401, code: 'unauthorized', message: 'Send a valid API key (Bearer, or Basic with the key as username).' };
	if (access === 'user') return principal.kind === 'user' ? ALLOW : { kind: 'deny', status: 401, code: 'unauthorized', message: 'Sign in to use this.' };
	if (principalCan(principal, access)) return ALLOW;
	return { kind: 'deny', status: 403, code: 'forbidden', message: `${isApi ? 'This credential' : 'Your role'} may not ${access.replace(':', ' ')}.` };
}
