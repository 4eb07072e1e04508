/**
 * Immutable edits for the side panel: every change builds a new node (or settings) object, so the
 * canvas's command stack can keep the old one for undo. Setting `undefined` removes the key, which
 * keeps optional fields absent rather than present-but-undefined in the saved JSON.
 */
export type PathKey = string | number;

export function setIn<T>(target: T, path: readonly PathKey[], value: unknown): T {
	if (path.length === 0) return value as T;
	const [key, ...rest] = path as [PathKey, ...PathKey[]];
	const current = (target ?? (typeof key === 'number' ? [] : {})) as Record<PathKey, unknown> | unknown[];
	const child = (current as Record<PathKey, unknown>)[key];
	const next = rest.length === 0 ? value : setIn(child, rest, value);
	if (Array.isArray(current)) {
		const copy = [...current];
		if (next === undefined && typeof key === 'number') copy.splice(key, 1);
		else copy[key as number] = next;
		return copy as T;
	}
	const copy: Record<PathKey, unknown> = { ...(current as Record<PathKey, unknown>) };
	if (next === undefined) delete copy[key];
	else copy[key] = next;
	return copy as T;
}

export function getIn(target: unknown, path: readonly PathKey[]): unknown {
	let value = target;
	for (const key of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<PathKey, unknown>)[key];
	}
	return value;
}

/** Moves item `from` to `to` in a copy of `list` (reordering branches). */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
	if (to < 0 || to >= list.length || from === to) return [...list];
	const copy = [...list];
	const [item] = copy.splice(from, 1);
	copy.splice(to, 0, item as T);
	return copy;
}

/** An id not yet in `taken`: `base`, then `base-2`, `base-3`… (new branches and variants). */
export function freshId(base: string, taken: readonly string[]): string {
	if (!taken.includes(base)) return base;
	for (let i = 2; ; i++) if (!taken.includes(`${base}-${i}`)) return `${base}-${i}`;
}

/** A number input's value, or undefined when blank (so an optional number can be cleared). */
export function numberOrUndefined(raw: string): number | undefined {
	if (raw.trim() === '') return undefined;
	const n = Number(raw);
	return Number.isFinite(n) ? n : undefined;
}
