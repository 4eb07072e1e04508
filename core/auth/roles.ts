import type { Role } from '../db/schema/auth';

/**
 * What each role may do. Admins do everything; marketers build and run journeys; analysts read journeys and
 * their figures; store associates look one customer up at the till and redeem. Ingest write keys can only
 * send events.
 *
 * Least privilege on personal data: `customers:read` opens one customer found by an identifier (what the till
 * needs); `customers:list` browses, searches and exports everyone; `outbox:read` shows every message sent, with
 * its address, words and codes. Neither of the last two is needed at the till or for journey figures.
 *
 * Data-subject requests are the data controller's (a DPO's) job, not marketing's: `customers:export` (everything
 * we hold about one person, as a file) and `customers:erase` are admins' only, as is `audit:read` (who did what).
 */
export const permissions = [
	'journeys:read',
	'journeys:write',
	'journeys:publish',
	'customers:read',
	'customers:list',
	'customers:write',
	'customers:export',
	'customers:erase',
	'outbox:read',
	'offers:redeem',
	'store:work',
	'analytics:read',
	'settings:manage',
	'audit:read',
	'events:write'
] as const;
export type Permission = (typeof permissions)[number];

const grants: Record<Role, readonly Permission[]> = {
	admin: permissions,
	marketer: [
		'journeys:read',
		'journeys:write',
		'journeys:publish',
		'customers:read',
		'customers:list',
		'customers:write',
		'outbox:read',
		'analytics:read',
		'events:write'
	],
	analyst: ['journeys:read', 'customers:read', 'analytics:read'],
	store: ['customers:read', 'offers:redeem', 'store:work']
};

export function can(role: Role, permission: Permission): boolean {
	return grants[role].includes(permission);
}
