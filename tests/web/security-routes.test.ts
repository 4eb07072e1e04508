import { describe, expect, it } from 'vitest';
import type { Principal } from '../../core/auth/accounts';
import { decideAccess, type RouteTable } from '../../core/auth/route-access';
import type { Role } from '../../core/db/schema/auth';
import { routePermissions } from '../../web/lib/server/route-permissions';

// Finding from the 2026-11-30 review: the route table was only tested; each handler enforced its own check, so a
// handler that forgot it (or a new route nobody declared) was open. The request hook now decides from the table
// before any handler runs (core/auth/route-access.ts); these are the decisions it takes.
const user = (role: Role): Principal => ({ kind: 'user', user: { id: `u-${role}`, email: `${role}@example.test`, name: role, role } });
const key = (role: Role, keyKind: 'write' | 'secret'): Principal => ({ kind: 'key', keyId: 'k', name: 'k', role, keyKind });

describe('route table enforced by the request hook', () => {
	it('refuses a route missing from the table, whoever calls, and an undeclared method with 405', () => {
		const table: RouteTable = { '/api/v1/things': { GET: 'journeys:read' }, '/things': { GET: 'journeys:read' } };
		for (const who of [null, user('admin'), key('admin', 'secret')]) {
			expect(decideAccess(table, '/api/v1/forgotten', 'GET', who)).toMatchObject({ kind: 'deny', status: 403 });
			expect(decideAccess(table, '/forgotten-page', 'GET', who)).toMatchObject({ kind: 'deny', status: 403 });
		}
		expect(decideAccess(table, '/api/v1/things', 'DELETE', user('admin'))).toMatchObject({ kind: 'deny', status: 405, allow: 'GET' });
		// No route matched: SvelteKit answers 404 itself.
		expect(decideAccess(table, null, 'GET', null)).toEqual({ kind: 'allow' });
	});

	it('applies the declared permission whatever the handler does: 401/403 for APIs, sign-in or 403 for pages', () => {
		const publish = '/api/v1/journeys/[id]/publish';
		expect(routePermissions[publish]?.POST).toBe('journeys:publish');
		expect(decideAccess(routePermissions, publish, 'POST', null)).toMatchObject({ kind: 'deny', status: 401, code: 'unauthorized' });
		expect(decideAccess(routePermissions, publish, 'POST', user('analyst'))).toMatchObject({ kind: 'deny', status: 403, code: 'forbidden' });
		expect(decideAccess(routePermissions, publish, 'POST', key('admin', 'write'))).toMatchObject({ kind: 'deny', status: 403 });
		expect(decideAccess(routePermissions, publish, 'POST', key('marketer', 'secret'))).toEqual({ kind: 'allow' });
		expect(decideAccess(routePermissions, publish, 'POST', user('marketer'))).toEqual({ kind: 'allow' });

		expect(decideAccess(routePermissions, '/outbox', 'GET', null)).toEqual({ kind: 'login' });
		expect(decideAccess(routePermissions, '/outbox', 'GET', key('admin', 'secret'))).toEqual({ kind: 'login' });
		expect(decideAccess(routePermissions, '/outbox', 'GET', user('store'))).toMatchObject({ kind: 'deny', status: 403 });
		expect(decideAccess(routePermissions, '/outbox', 'HEAD', user('marketer'))).toEqual({ kind: 'allow' });
	});

	it("holds a page's form actions to at least what opening the page needs, and leaves public and signed routes open", () => {
		expect(decideAccess(routePermissions, '/settings', 'POST', user('marketer'))).toMatchObject({ kind: 'deny', status: 403 });
		expect(decideAccess(routePermissions, '/settings', 'POST', null)).toEqual({ kind: 'login' });
		expect(decideAccess(routePermissions, '/login', 'POST', null)).toEqual({ kind: 'allow' });
		expect(decideAccess(routePermissions, '/api/v1/webhooks/twilio/inbound', 'POST', null)).toEqual({ kind: 'allow' });
		expect(decideAccess(routePermissions, '/api/v1/track', 'POST', key('marketer', 'write'))).toEqual({ kind: 'allow' });
		expect(decideAccess(routePermissions, '/api/v1/journeys', 'GET', key('marketer', 'write'))).toMatchObject({ kind: 'deny', status: 403 });
	});
});
