import type { FilterOp } from '$core/graph/nodes/index';

/** Words the panel shows for the schemas' enums, in one place. */
export const DURATION_UNITS = [
	{ value: 'minutes', label: 'minutes' },
	{ value: 'hours', label: 'hours' },
	{ value: 'days', label: 'days' },
	{ value: 'weeks', label: 'weeks' }
] as const;

export const FILTER_OP_LABELS: Record<FilterOp, string> = {
	eq: 'equals',
	neq: 'does not equal',
	contains: 'contains',
	lt: 'is less than',
	gt: 'is greater than',
	exists: 'is present',
	in: 'is one of'
};

export const WEEKDAYS = [
	{ value: 'mon', label: 'Mon' },
	{ value: 'tue', label: 'Tue' },
	{ value: 'wed', label: 'Wed' },
	{ value: 'thu', label: 'Thu' },
	{ value: 'fri', label: 'Fri' },
	{ value: 'sat', label: 'Sat' },
	{ value: 'sun', label: 'Sun' }
] as const;

/** Every IANA zone this browser knows (the schema checks against the server's Intl, which agrees in practice). */
export function timeZones(): string[] {
	try {
		return Intl.supportedValuesOf('timeZone');
	} catch {
		return ['UTC'];
	}
}
