import type { JourneyDefinition } from './definition';
import { findNode } from './graph';
import type { PropertyFilter } from './nodes';

/**
 * What an enrollment standing at `nodeId` listens for: event names (exit criteria, goal, and the
 * current wait-for-event step) and the property paths those matches read. Event routing stores
 * these so that only relevant events, carrying only these properties, are signalled.
 */
export interface Interests {
	events: string[];
	propertyPaths: string[];
}

export function interestsAt(def: JourneyDefinition, nodeId?: string): Interests {
	const matchers = [...def.settings.exitCriteria, ...(def.settings.goal?.events ?? [])];
	const node = nodeId === undefined ? undefined : findNode(def, nodeId);
	const paths: string[] = [];
	if (node?.type === 'waitForEvent') {
		matchers.push(node);
		if (node.matchEntryProperty !== undefined) paths.push(node.matchEntryProperty);
	}
	const filterPaths = (filters: PropertyFilter[] | undefined) => (filters ?? []).map((f) => f.path);
	paths.push(...matchers.flatMap((m) => filterPaths(m.filters)));
	return {
		events: [...new Set(matchers.map((m) => m.event))].sort(),
		propertyPaths: [...new Set(paths)].sort()
	};
}
