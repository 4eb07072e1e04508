import type { EventMatcher, PropertyFilter, Scalar, TriggerNode, WaitForEventNode } from './nodes';

/** An event as the matchers see it: a name and its properties (`timestamp` in ms when known). */
export interface TrackedEvent {
	name: string;
	properties?: Record<string, unknown>;
	timestamp?: number;
}

/** What may start an enrollment. */
export type EntryInput =
	{ kind: 'event'; event: TrackedEvent } | { kind: 'segment'; segmentId: string; change: 'enter' | 'leave' } | { kind: 'manual' } | { kind: 'schedule' };

/**
 * Reads a dotted path (`address.city`, `items.0.sku`). A key that itself contains dots wins when
 * present. Only own properties are read, so `__proto__` or `constructor` never resolve.
 */
export function getPath(source: unknown, path: string): unknown {
	if (isRecord(source) && Object.hasOwn(source, path)) return source[path];
	let current: unknown = source;
	for (const key of path.split('.')) {
		if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
		current = current[key];
	}
	return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

function asNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && value.trim() !== '') {
		const n = Number(value);
		return Number.isFinite(n) ? n : undefined;
	}
	return undefined;
}

/** Equality where a number equals its decimal string (trackers often send "42" for 42). */
export function sameValue(actual: unknown, expected: Scalar): boolean {
	if (actual === expected) return true;
	if (typeof actual === typeof expected) return false;
	const a = asNumber(actual);
	const b = asNumber(expected);
	return a !== undefined && a === b && (typeof actual === 'number' || typeof expected === 'number');
}

function isScalar(value: unknown): value is Scalar {
	return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

// Only ISO-looking dates: Date.parse alone would read "5" or "Tuesday 5" as dates.
function asDate(value: unknown): number {
	return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
}

/** -1, 0 or 1; undefined when the two are not both numbers or both ISO dates. */
function compare(actual: unknown, expected: number | string): number | undefined {
	const [na, nb] = [asNumber(actual), asNumber(expected)];
	const [a, b] = na !== undefined && nb !== undefined ? [na, nb] : [asDate(actual), asDate(expected)];
	if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
	return Math.sign(a - b);
}

/**
 * Whether one filter holds for `props`. A missing property only satisfies `neq` and
 * `exists: false`: "plan is not pro" is true for a customer with no plan.
 */
export function matchesFilter(filter: PropertyFilter, props: unknown): boolean {
	const actual = getPath(props, filter.path);
	switch (filter.op) {
		case 'eq':
			return sameValue(actual, filter.value);
		case 'neq':
			return !sameValue(actual, filter.value);
		case 'contains': {
			const value = filter.value;
			if (Array.isArray(actual)) return actual.some((item) => sameValue(item, value));
			return typeof actual === 'string' && actual.toLowerCase().includes(String(value).toLowerCase());
		}
		case 'lt':
			return compare(actual, filter.value) === -1;
		case 'gt':
			return compare(actual, filter.value) === 1;
		case 'exists':
			return (actual !== undefined && actual !== null) === (filter.value ?? true);
		case 'in': {
			const values = filter.value;
			const inList = (item: unknown) => values.some((v) => sameValue(item, v));
			return Array.isArray(actual) ? actual.some(inList) : actual !== undefined && inList(actual);
		}
	}
}

/** All filters must hold (none given: always true). */
export function matchesFilters(filters: readonly PropertyFilter[] | undefined, props: unknown): boolean {
	return (filters ?? []).every((f) => matchesFilter(f, props));
}

export function eventMatches(matcher: EventMatcher, event: TrackedEvent): boolean {
	return matcher.event === event.name && matchesFilters(matcher.filters, event.properties);
}

/** Whether this entry starts the journey whose trigger is `trigger`. */
export function triggerMatches(trigger: TriggerNode, input: EntryInput): boolean {
	const entry = trigger.entry;
	switch (entry.kind) {
		case 'event':
			return input.kind === 'event' && eventMatches(entry, input.event);
		case 'segment':
			return input.kind === 'segment' && input.segmentId === entry.segmentId && input.change === (entry.on ?? 'enter');
		case 'manual':
			return input.kind === 'manual';
		case 'schedule':
			return input.kind === 'schedule';
	}
}

/**
 * Whether `event` releases a `waitForEvent` step. With `matchEntryProperty` both events must carry
 * the property with the same value: an entry event without it can never be matched.
 */
export function waitForEventMatches(node: WaitForEventNode, event: TrackedEvent, entryEvent?: TrackedEvent): boolean {
	if (!eventMatches(node, event)) return false;
	if (node.matchEntryProperty === undefined) return true;
	const expected = getPath(entryEvent?.properties, node.matchEntryProperty);
	const actual = getPath(event.properties, node.matchEntryProperty);
	return isScalar(expected) && expected !== null && sameValue(actual, expected);
}
