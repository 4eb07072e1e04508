import type { RouteTable } from '$core/auth/route-access';

export type { RouteAccess, RouteMethod } from '$core/auth/route-access';

/**
 * Who may call each route: the authorization matrix in one place. Every page load (`GET`) and every API method
 * under web/routes has an entry; tests/web/permissions.int.test.ts walks the route tree, fails on a route
 * without one, and calls each as anonymous, every role, a write key and a secret key to check the handlers do
 * what this table says. The request hook enforces it before any handler runs (core/auth/route-access.ts: a route
 * missing here is refused, an API method not declared answers 405, a page's form actions need what the page
 * needs); handlers keep their own checks (`requirePage`, `denyApi`) for finer rules.
 *
 * - a Permission: signed-in users (pages) or users and keys (APIs) whose role grants it;
 * - `public`: anyone, the same answer signed in or not;
 * - `signed`: providers' webhooks, authenticated by their signature, whoever calls;
 * - `user`: any signed-in user;
 * - `demo`: public while DEMO is on, 404 otherwise.
 */
export const routePermissions: RouteTable = {
	// Pages
	'/': { GET: 'user' },
	'/login': { GET: 'public' },
	'/logout': { GET: 'user' },
	'/status': { GET: 'public' },
	'/unsubscribe/[token]': { GET: 'public' },
	'/journeys': { GET: 'journeys:read' },
	'/journeys/[id]': { GET: 'journeys:read' },
	'/journeys/[id]/counts': { GET: 'journeys:read' },
	'/journeys/[id]/diff': { GET: 'journeys:read' },
	'/journeys/[id]/analytics': { GET: 'analytics:read' },
	'/journeys/[id]/versions/[version]': { GET: 'journeys:read' },
	'/customers': { GET: 'customers:list' },
	'/customers/[id]': { GET: 'customers:read' },
	'/outbox': { GET: 'outbox:read' },
	'/analytics': { GET: 'analytics:read' },
	'/store': { GET: 'store:work' },
	'/settings': { GET: 'settings:manage' },
	'/shop': { GET: 'demo' },
	'/shop/cart': { GET: 'demo' },
	'/shop/products/[id]': { GET: 'demo' },
	'/shop/push/subscription': { POST: 'demo', DELETE: 'demo' },

	// Ingest (Segment-compatible): write keys, or a role allowed to send events.
	'/api/v1/identify': { POST: 'events:write' },
	'/api/v1/track': { POST: 'events:write' },
	'/api/v1/page': { POST: 'events:write' },
	'/api/v1/screen': { POST: 'events:write' },
	'/api/v1/alias': { POST: 'events:write' },
	'/api/v1/batch': { POST: 'events:write' },
	// Web push subscriptions from a shop's backend: sent like events, with a write key.
	'/api/v1/push/subscriptions': { POST: 'events:write', DELETE: 'events:write' },

	// Journeys
	'/api/v1/journey-templates': { GET: 'journeys:read' },
	'/api/v1/journeys': { GET: 'journeys:read', POST: 'journeys:write' },
	'/api/v1/journeys/[id]': { GET: 'journeys:read', PATCH: 'journeys:write' },
	'/api/v1/journeys/[id]/validate': { POST: 'journeys:read' },
	'/api/v1/journeys/[id]/preview': { POST: 'journeys:read' },
	'/api/v1/journeys/[id]/test-send': { POST: 'journeys:write' },
	'/api/v1/journeys/[id]/duplicate': { POST: 'journeys:write' },
	'/api/v1/journeys/[id]/archive': { POST: 'journeys:write' },
	'/api/v1/journeys/[id]/unarchive': { POST: 'journeys:write' },
	'/api/v1/journeys/[id]/publish': { POST: 'journeys:publish' },
	'/api/v1/journeys/[id]/pause': { POST: 'journeys:publish' },
	'/api/v1/journeys/[id]/resume': { POST: 'journeys:publish' },
	'/api/v1/journeys/[id]/stop': { POST: 'journeys:publish' },
	'/api/v1/journeys/[id]/versions': { GET: 'journeys:read' },
	'/api/v1/journeys/[id]/versions/[version]': { GET: 'journeys:read' },
	'/api/v1/journeys/[id]/enrollments': { GET: 'journeys:read', POST: 'journeys:write' },
	'/api/v1/journeys/[id]/enrollments/[enrollmentId]': { GET: 'journeys:read' },
	'/api/v1/journeys/[id]/analytics': { GET: 'analytics:read' },
	'/api/v1/journeys/[id]/analytics/[file]': { GET: 'analytics:read' },
	'/api/v1/analytics/attribution': { GET: 'analytics:read' },
	'/api/v1/analytics/attribution.csv': { GET: 'analytics:read' },
	'/api/v1/catalog/events': { GET: 'journeys:read' },
	'/api/v1/catalog/events/[name]/properties': { GET: 'journeys:read' },
	'/api/v1/catalog/segments': { GET: 'journeys:read' },
	'/api/v1/catalog/traits': { GET: 'journeys:read' },

	// Customers: one by id for whoever serves them; the list (search, export) only for roles that need everyone.
	'/api/v1/customers': { GET: 'customers:list' },
	'/api/v1/customers/[id]': { GET: 'customers:read' },
	'/api/v1/customers/[id]/offers': { GET: 'customers:read' },
	'/api/v1/customers/[id]/erase': { POST: 'customers:erase' },
	'/api/v1/customers/[id]/export': { GET: 'customers:export' },
	// Privacy: who did what (admins).
	'/api/v1/audit': { GET: 'audit:read' },
	'/settings/audit': { GET: 'audit:read' },

	// Offers
	'/api/v1/offers': { GET: 'customers:read' },
	'/api/v1/offers/[code]': { GET: 'customers:read' },
	'/api/v1/offers/[code]/redeem': { POST: 'offers:redeem' },
	'/api/v1/offers/[code]/reserve': { POST: 'offers:redeem' },
	'/api/v1/offers/[code]/release': { POST: 'offers:redeem' },
	// The code is the secret: printed in the customer's e-mail, scanned at the till.
	'/api/v1/offers/[code]/qr.svg': { GET: 'public' },
	'/api/v1/offers/[code]/qr.png': { GET: 'public' },

	// Stores, catalogue and stock: read by whoever serves customers (the till, the shop's server, the builder); loaded by admins and admin secret keys.
	'/api/v1/stores': { GET: 'customers:read' },
	'/api/v1/stores/[id]/stock': { GET: 'customers:read', PUT: 'settings:manage' },
	'/api/v1/products': { GET: 'customers:read', PUT: 'settings:manage' },

	// Operations and providers
	'/api/v1/health': { GET: 'public' },
	'/api/v1/webhooks/sendgrid': { POST: 'signed' },
	'/api/v1/webhooks/twilio/status': { POST: 'signed' },
	'/api/v1/webhooks/twilio/inbound': { POST: 'signed' },
	// Web push clicks, reported by the shop's service worker with a token signed per message.
	'/api/v1/push/clicks': { POST: 'signed' }
};
