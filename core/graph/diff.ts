import type { GraphLike } from './graph';

/**
 * What changed between two versions of a journey: steps and connections added, removed or changed (matched
 * by id), each change listed as dotted field paths (`subject`, `branches.0.conditions.1.value`), and the
 * journey settings that changed. Pure; the builder shows it before publishing and on the version diff canvas.
 */
export interface ElementChange {
	id: string;
	fields: string[];
}

export interface JourneyDiff {
	nodes: { added: string[]; removed: string[]; changed: ElementChange[] };
	edges: { added: string[]; removed: string[]; changed: ElementChange[] };
	settings: string[];
}

type Element = { id: string } & Record<string, unknown>;
type Diffable = { nodes?: readonly unknown[]; edges?: readonly unknown[]; settings?: unknown };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Dotted paths where `a` and `b` differ; an array whose length changed is reported as a whole. */
export function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
	if (Object.is(a, b)) return [];
	const at = (key: string | number) => (prefix ? `${prefix}.${key}` : String(key));
	if (Array.isArray(a) && Array.isArray(b)) {
		if (a.length !== b.length) return [prefix];
		return a.flatMap((v, i) => changedPaths(v, b[i], at(i)));
	}
	if (isRecord(a) && isRecord(b)) {
		const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
		return keys.flatMap((k) => changedPaths(a[k], b[k], at(k)));
	}
	return [prefix];
}

function elements(list: readonly unknown[] | undefined): Map<string, Element> {
	const out = new Map<string, Element>();
	for (const v of list ?? []) if (isRecord(v) && typeof v.id === 'string') out.set(v.id, v as Element);
	return out;
}

function compare(from: readonly unknown[] | undefined, to: readonly unknown[] | undefined) {
	const a = elements(from);
	const b = elements(to);
	const added = [...b.keys()].filter((id) => !a.has(id));
	const removed = [...a.keys()].filter((id) => !b.has(id));
	const changed = [...b.keys()]
		.filter((id) => a.has(id))
		.map((id) => ({ id, fields: changedPaths(a.get(id), b.get(id)) }))
		.filter((c) => c.fields.length > 0);
	return { added, removed, changed };
}

export function diffJourneys(from: Diffable | GraphLike, to: Diffable | GraphLike): JourneyDiff {
	const f = from as Diffable;
	const t = to as Diffable;
	return { nodes: compare(f.nodes, t.nodes), edges: compare(f.edges, t.edges), settings: changedPaths(f.settings ?? {}, t.settings ?? {}) };
}

export function isEmptyDiff(d: JourneyDiff): boolean {
	return [d.nodes, d.edges].every((x) => !x.added.length && !x.removed.length && !x.changed.length) && d.settings.length === 0;
}

/** One line for a marketer: "2 steps added, 1 changed · 3 connections added · settings changed". */
export function summarizeDiff(d: JourneyDiff): string {
	const part = (x: JourneyDiff['nodes'], one: string, many: string) => {
		const bits = [
			x.added.length && `${x.added.length} added`,
			x.removed.length && `${x.removed.length} removed`,
			x.changed.length && `${x.changed.length} changed`
		].filter(Boolean);
		const n = x.added.length + x.removed.length + x.changed.length;
		return bits.length ? `${n === 1 ? one : many}: ${bits.join(', ')}` : '';
	};
	const parts = [
		part(d.nodes, 'Step', 'Steps'),
		part(d.edges, 'Connection', 'Connections'),
		d.settings.length ? `Settings: ${d.settings.length} changed` : ''
	].filter(Boolean);
	return parts.length ? parts.join(' · ') : 'No changes';
}
