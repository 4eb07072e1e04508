// Relative rather than `$core`: pure and unit-tested outside SvelteKit's aliases.
import { NODE_KINDS, outputsOf, type JourneyEdge, type JourneyLayout, type JourneyNode, type NodePosition, type NodeType } from '../../../core/graph/index';
import { NODE_HEIGHT, NODE_WIDTH, tidy, type Draft } from './flow';

/**
 * Every edit the canvas makes, as a pure function from one document to the next (never mutating), so each is
 * one undoable command and the same code serves mouse, keyboard and paste.
 */
export interface Doc {
	draft: Draft;
	layout: JourneyLayout;
}

/** An output of a node: the node and the branch it leaves by (absent for single-output nodes). */
export interface Port {
	source: string;
	sourceHandle?: string;
}

const slug = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

/** A fresh id for a node of `type` that `taken` does not hold ("send-email-2"). */
export function mintId(base: string, taken: ReadonlySet<string>): string {
	const stem =
		slug(base)
			.replace(/[^a-z0-9-]+/g, '-')
			.replace(/^-+|-+$/g, '') || 'step';
	if (!taken.has(stem)) return stem;
	for (let i = 2; ; i++) if (!taken.has(`${stem}-${i}`)) return `${stem}-${i}`;
}

function edgeIdFor(edge: Omit<JourneyEdge, 'id'>, taken: ReadonlySet<string>): string {
	return mintId(`e-${edge.source}-${edge.sourceHandle ? `${edge.sourceHandle}-` : ''}${edge.target}`, taken);
}

const nodeIds = (doc: Doc) => new Set(doc.draft.nodes.map((n) => n.id));
const edgeIds = (doc: Doc) => new Set(doc.draft.edges.map((e) => e.id));

/** The outputs of a node that are not wired yet, in handle order. */
export function freeOutputs(doc: Doc, nodeId: string): Port[] {
	const node = doc.draft.nodes.find((n) => n.id === nodeId);
	if (!node) return [];
	let outputs: { handle?: string }[];
	try {
		outputs = outputsOf(node);
	} catch {
		return [];
	}
	return outputs
		.filter((o) => !doc.draft.edges.some((e) => e.source === nodeId && e.sourceHandle === o.handle))
		.map((o) => ({ source: nodeId, ...(o.handle !== undefined ? { sourceHandle: o.handle } : {}) }));
}

function withEdge(edges: JourneyEdge[], edge: Omit<JourneyEdge, 'id'>, taken: Set<string>): JourneyEdge[] {
	// One wire per output: connecting an output that is already wired moves its wire.
	const kept = edges.filter((e) => !(e.source === edge.source && e.sourceHandle === edge.sourceHandle));
	const id = edgeIdFor(edge, taken);
	taken.add(id);
	return [...kept, { id, source: edge.source, target: edge.target, ...(edge.sourceHandle !== undefined ? { sourceHandle: edge.sourceHandle } : {}) }];
}

export function newNode(type: NodeType, id: string): JourneyNode {
	return { id, label: NODE_KINDS[type].name, ...NODE_KINDS[type].defaults() } as JourneyNode;
}

/**
 * Adds a node of `type` at `position`. With `after`, it is wired from that output; with `onEdge`, it goes between
 * the edge's two ends (its first output continues to the old target) — the "drop onto an edge" gesture.
 */
export function addNode(doc: Doc, type: NodeType, position: NodePosition, place: { after?: Port; onEdge?: string } = {}): { doc: Doc; id: string } {
	const id = mintId(type, nodeIds(doc));
	const node = newNode(type, id);
	const taken = edgeIds(doc);
	let edges = doc.draft.edges;
	const split = place.onEdge ? edges.find((e) => e.id === place.onEdge) : undefined;
	if (split) {
		edges = edges.filter((e) => e.id !== split.id);
		edges = withEdge(edges, { source: split.source, target: id, ...(split.sourceHandle !== undefined ? { sourceHandle: split.sourceHandle } : {}) }, taken);
		const out = outputsOf(node)[0];
		if (out) edges = withEdge(edges, { source: id, target: split.target, ...(out.handle !== undefined ? { sourceHandle: out.handle } : {}) }, taken);
	} else if (place.after) {
		edges = withEdge(edges, { ...place.after, target: id }, taken);
	}
	let nodes = { ...doc.layout.nodes, [id]: position };
	// Inserted between two steps: when it would cover the next one, everything downstream moves down a row.
	const next = split ? nodes[split.target] : undefined;
	if (split && next && Math.abs(next.x - position.x) < NODE_WIDTH && next.y < position.y + NODE_HEIGHT + 24 && next.y + NODE_HEIGHT > position.y) {
		const dy = Math.round(position.y + NODE_HEIGHT + 72 - next.y);
		for (const down of downstream(doc, split.target)) if (nodes[down]) nodes = { ...nodes, [down]: { x: nodes[down]!.x, y: nodes[down]!.y + dy } };
	}
	return { doc: { draft: { ...doc.draft, nodes: [...doc.draft.nodes, node], edges }, layout: { ...doc.layout, nodes } }, id };
}

/** `from` and every step after it. */
function downstream(doc: Doc, from: string): Set<string> {
	const seen = new Set<string>();
	const stack = [from];
	for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
		if (seen.has(id)) continue;
		seen.add(id);
		for (const e of doc.draft.edges) if (e.source === id) stack.push(e.target);
	}
	return seen;
}

/** Where a node added after `nodeId` goes: below it, shifted right per output already used. */
export function positionAfter(doc: Doc, port: Port): NodePosition {
	const from = doc.layout.nodes[port.source] ?? { x: 0, y: 0 };
	const node = doc.draft.nodes.find((n) => n.id === port.source);
	const outputs = node ? outputsOf(node) : [];
	const i = Math.max(
		0,
		outputs.findIndex((o) => o.handle === port.sourceHandle)
	);
	const spread = outputs.length > 1 ? (i - (outputs.length - 1) / 2) * (NODE_WIDTH + 48) : 0;
	return { x: Math.round(from.x + spread), y: Math.round(from.y + NODE_HEIGHT + 72) };
}

export function connect(doc: Doc, edge: Omit<JourneyEdge, 'id'>): Doc {
	if (edge.source === edge.target) return doc;
	return { ...doc, draft: { ...doc.draft, edges: withEdge(doc.draft.edges, edge, edgeIds(doc)) } };
}

/** Moves one end of an edge (the "reconnect" drag). */
export function reconnect(doc: Doc, edgeId: string, next: Omit<JourneyEdge, 'id'>): Doc {
	const without = { ...doc, draft: { ...doc.draft, edges: doc.draft.edges.filter((e) => e.id !== edgeId) } };
	return connect(without, next);
}

/** Removes nodes (with their edges) and edges. */
export function remove(doc: Doc, ids: { nodes?: readonly string[]; edges?: readonly string[] }): Doc {
	const goneNodes = new Set(ids.nodes ?? []);
	const goneEdges = new Set(ids.edges ?? []);
	if (goneNodes.size === 0 && goneEdges.size === 0) return doc;
	const nodes = doc.draft.nodes.filter((n) => !goneNodes.has(n.id));
	const edges = doc.draft.edges.filter((e) => !goneEdges.has(e.id) && !goneNodes.has(e.source) && !goneNodes.has(e.target));
	const positions = Object.fromEntries(Object.entries(doc.layout.nodes).filter(([id]) => !goneNodes.has(id)));
	return { draft: { ...doc.draft, nodes, edges }, layout: { ...doc.layout, nodes: positions } };
}

export function moveNodes(doc: Doc, positions: Record<string, NodePosition>): Doc {
	const changed = Object.entries(positions).some(([id, p]) => {
		const old = doc.layout.nodes[id];
		return !old || old.x !== p.x || old.y !== p.y;
	});
	return changed ? { ...doc, layout: { ...doc.layout, nodes: { ...doc.layout.nodes, ...positions } } } : doc;
}

export function nudge(doc: Doc, ids: readonly string[], dx: number, dy: number): Doc {
	const moved: Record<string, NodePosition> = {};
	for (const id of ids) {
		const p = doc.layout.nodes[id];
		if (p) moved[id] = { x: p.x + dx, y: p.y + dy };
	}
	return moveNodes(doc, moved);
}

/** Replaces one node's settings (the side panel's edits); its id stays. */
export function replaceNode(doc: Doc, next: JourneyNode): Doc {
	const old = doc.draft.nodes.find((n) => n.id === next.id);
	if (!old) return doc;
	const nodes = doc.draft.nodes.map((n) => (n.id === next.id ? next : n));
	// Branches that no longer exist lose their wires (a condition branch deleted, a variant renamed).
	const handles = new Set(outputsOf(next).map((o) => o.handle));
	const edges = doc.draft.edges.filter((e) => e.source !== next.id || handles.has(e.sourceHandle));
	return { ...doc, draft: { ...doc.draft, nodes, edges } };
}

export function setSettings(doc: Doc, settings: Draft['settings']): Doc {
	return { ...doc, draft: { ...doc.draft, settings } };
}

export function tidyUp(doc: Doc): Doc {
	return { ...doc, layout: { ...doc.layout, nodes: tidy(doc.draft) } };
}

/** Gives every node a position (a draft saved by the API or the JSON editor may have none). */
export function withPositions(doc: Doc): Doc {
	if (doc.draft.nodes.every((n) => doc.layout.nodes[n.id])) return doc;
	return { ...doc, layout: { ...doc.layout, nodes: { ...tidy(doc.draft), ...doc.layout.nodes } } };
}

/**
 * A place for a box of `size` at or right of `at` that covers no step (pasting into a busy canvas): moves right
 * a column at a time.
 */
export function freeSpot(doc: Doc, at: NodePosition, size: { width: number; height: number }): NodePosition {
	const boxes = Object.values(doc.layout.nodes);
	const covers = (p: NodePosition) => boxes.some((b) => b.x < p.x + size.width && b.x + NODE_WIDTH > p.x && b.y < p.y + size.height && b.y + NODE_HEIGHT > p.y);
	let spot = { x: Math.round(at.x), y: Math.round(at.y) };
	for (let i = 0; i < 200 && covers(spot); i++) spot = { x: spot.x + NODE_WIDTH + 40, y: spot.y };
	return spot;
}

/** Width and height the fragment's steps take on the canvas. */
export function fragmentSize(fragment: Fragment): { width: number; height: number } {
	const xs = fragment.nodes.map((n) => n.position?.x ?? 0);
	const ys = fragment.nodes.map((n) => n.position?.y ?? 0);
	return { width: Math.max(...xs) - Math.min(...xs) + NODE_WIDTH, height: Math.max(...ys) - Math.min(...ys) + NODE_HEIGHT };
}

// ————— Copy, paste, duplicate —————

/** What the clipboard carries: nodes with their positions and the edges between them. */
export interface Fragment {
	omnicanal: 'journey-fragment';
	version: 1;
	nodes: (JourneyNode & { position: NodePosition })[];
	edges: JourneyEdge[];
}

export function copyFragment(doc: Doc, ids: readonly string[]): Fragment | undefined {
	const keep = new Set(ids);
	const nodes = doc.draft.nodes.filter((n) => keep.has(n.id)).map((n) => ({ ...n, position: doc.layout.nodes[n.id] ?? { x: 0, y: 0 } }));
	if (nodes.length === 0) return undefined;
	const edges = doc.draft.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
	return { omnicanal: 'journey-fragment', version: 1, nodes, edges };
}

export function readFragment(text: string): Fragment | undefined {
	try {
		const v = JSON.parse(text) as Partial<Fragment>;
		if (v?.omnicanal !== 'journey-fragment' || !Array.isArray(v.nodes) || !Array.isArray(v.edges)) return undefined;
		return v as Fragment;
	} catch {
		return undefined;
	}
}

/**
 * Pastes a fragment with fresh ids (references between pasted steps, such as a store task's offer, follow),
 * its top-left corner at `at` (or offset from where it was copied). A pasted trigger is skipped when the journey
 * has one already: a journey has exactly one.
 */
export function pasteFragment(doc: Doc, fragment: Fragment, at?: NodePosition): { doc: Doc; ids: string[] } {
	const hasTrigger = doc.draft.nodes.some((n) => n.type === 'trigger');
	const source = fragment.nodes.filter((n) => !(hasTrigger && n.type === 'trigger') && typeof n.id === 'string' && typeof n.type === 'string');
	if (source.length === 0) return { doc, ids: [] };
	const taken = nodeIds(doc);
	const rename = new Map<string, string>();
	for (const n of source) {
		const id = mintId(n.id, taken);
		taken.add(id);
		rename.set(n.id, id);
	}
	const minX = Math.min(...source.map((n) => n.position?.x ?? 0));
	const minY = Math.min(...source.map((n) => n.position?.y ?? 0));
	const origin = at ?? { x: minX + 40, y: minY + 40 };
	// References between steps (a store task's `offerNodeId`, a condition's `nodeId`) follow the renamed ids.
	const remap = (value: unknown, key = ''): unknown =>
		typeof value === 'string'
			? /(^n|N)odeId$/.test(key)
				? (rename.get(value) ?? value)
				: value
			: Array.isArray(value)
				? value.map((v) => remap(v, key))
				: value && typeof value === 'object'
					? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v, k)]))
					: value;
	const positions: Record<string, NodePosition> = {};
	const nodes = source.map(({ position, id, ...rest }) => {
		const next = rename.get(id)!;
		positions[next] = { x: Math.round(origin.x + ((position?.x ?? 0) - minX)), y: Math.round(origin.y + ((position?.y ?? 0) - minY)) };
		return { id: next, ...(remap(rest) as object) } as JourneyNode;
	});
	const takenEdges = edgeIds(doc);
	let edges = doc.draft.edges;
	for (const e of fragment.edges) {
		const source = rename.get(e.source);
		const target = rename.get(e.target);
		if (source && target) edges = withEdge(edges, { source, target, ...(e.sourceHandle !== undefined ? { sourceHandle: e.sourceHandle } : {}) }, takenEdges);
	}
	return {
		doc: { draft: { ...doc.draft, nodes: [...doc.draft.nodes, ...nodes], edges }, layout: { ...doc.layout, nodes: { ...doc.layout.nodes, ...positions } } },
		ids: nodes.map((n) => n.id)
	};
}

export function duplicate(doc: Doc, ids: readonly string[]): { doc: Doc; ids: string[] } {
	const fragment = copyFragment(doc, ids);
	return fragment ? pasteFragment(doc, { ...fragment, nodes: fragment.nodes.filter((n) => n.type !== 'trigger') }) : { doc, ids: [] };
}
