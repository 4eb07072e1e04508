import { JourneyDefinition } from '../graph/definition';

/**
 * Deep equality of JSON values, ignoring object key order: PostgreSQL's jsonb stores keys in its own order, so
 * a definition read back never stringifies the same as the one written.
 */
export function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
	const ra = a as Record<string, unknown>;
	const rb = b as Record<string, unknown>;
	// Keys holding `undefined` vanish in JSON, so they do not count.
	const keys = (r: Record<string, unknown>) => Object.keys(r).filter((k) => r[k] !== undefined);
	const ka = keys(ra);
	return ka.length === keys(rb).length && ka.every((k) => Object.hasOwn(rb, k) && sameJson(ra[k], rb[k]));
}

/** A stored definition as the current schema reads it (layout and unknown keys dropped); as stored if it no longer parses. */
export function behaviourOf(stored: unknown): unknown {
	const parsed = JourneyDefinition.safeParse(stored);
	return parsed.success ? parsed.data : stored;
}
