import type { Role } from '../db/schema/auth';

/**
 * What each role may do. Admins do everything; marketers build and run journeys; analysts read;
 * store associates look customers up and redeem. Ingest write keys can only send events.
 */
export const permissions = [
	'journeys:read', 'journeys:write', 'journeys:publish',
	'customers:read', 'customers:write',
	'offers:redeem', 'store:work',
	'analytics:read', 'settings:manage', 'events:write'
] as const;
export type Permission = (typeof permissions)[number];

const grants: Record<Role, readonly Permission[]> = {
	admin: permissions,
	marketer: ['journeys:read', 'journeys:write', 'journeys:publish', 'customers:read', 'customers:write', 'analytics:read', 'events:write'],
	analyst: ['journeys:read', 'customers:read', 'analytics:read'],
	store: ['customers:read', 'offers:redeem', 'store:work']
};

export function can(role: Role, permission: Permission): boolean {
	return grants[role].includes(permission);
}
