import type { ValidationIssue, IssuePath } from './errors';

/** Deeper payloads are a bug or an attack; PostgreSQL's jsonb parser and recursion here both have limits. */
export const MAX_JSON_DEPTH = 32;
const MAX_ISSUES = 20;

// PostgreSQL rejects NUL in text and jsonb, and unpaired UTF-16 surrogates in jsonb: either would turn a
// tracking quirk into a failed batch, so they become U+FFFD.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function storableString(s: string): string {
	return s.replace(UNSTORABLE, '\ufffd');
}

function isPlainObject(v: object): boolean {
	const proto = Object.getPrototypeOf(v) as unknown;
	return proto === Object.prototype || proto === null;
}

function walk(v: unknown, path: IssuePath, depth: number, issues: ValidationIssue[]): unknown {
	if (v === null || typeof v === 'boolean') return v;
	if (typeof v === 'string') return storableString(v);
	// JSON.stringify's own rules: non-finite numbers become null, undefined properties disappear.
	if (typeof v === 'number') return Number.isFinite(v) ? v : null;
	if (v === undefined) return undefined;
	if (v instanceof Date) {
		if (Number.isNaN(v.getTime())) issues.push({ path, message: 'Invalid date' });
		return Number.isNaN(v.getTime()) ? null : v.toISOString();
	}
	if (typeof v !== 'object') {
		issues.push({ path, message: `Not a JSON value (${typeof v})` });
		return null;
	}
	if (depth >= MAX_JSON_DEPTH) {
		issues.push({ path, message: `Nested deeper than ${MAX_JSON_DEPTH} levels` });
		return null;
	}
	if (Array.isArray(v)) return v.map((item, i) => (issues.length < MAX_ISSUES ? (walk(item, [...path, i], depth + 1, issues) ?? null) : null));
	if (!isPlainObject(v)) {
		issues.push({ path, message: 'Not a JSON object' });
		return null;
	}
	const out: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(v)) {
		if (issues.length >= MAX_ISSUES) break;
		if (key === '__proto__') continue; // would set the prototype of `out`, and means nothing to us
		const value = walk(item, [...path, key], depth + 1, issues);
		if (value !== undefined) out[storableString(key)] = value;
	}
	return out;
}

/**
 * A copy of `input` that PostgreSQL will store as jsonb, or the reasons it cannot be: functions, bigints, Maps
 * and class instances are refused; Dates become ISO strings; NaN becomes null, as JSON.stringify would.
 */
export function toStorableJson(input: unknown, path: IssuePath = []): { value: unknown; issues: ValidationIssue[] } {
	const issues: ValidationIssue[] = [];
	const value = walk(input, path, 0, issues);
	return { value, issues };
}
