import dagre from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/svelte';
// Relative rather than `$core`: this module is pure and unit-tested outside SvelteKit's aliases.
import {
	outputsOf,
	type JourneyEdge,
	type JourneyLayout,
	type JourneyNode,
	type JourneySettings,
	type NodePosition,
	type NodeType
} from '../../../core/graph/index';

/**
 * The one conversion between a journey (definition + layout, stored apart) and the canvas's xyflow nodes and
 * edges. A flow node's `data` is the journey node without its id; a flow edge's `sourceHandle` is the branch
 * name (absent for single-output nodes: xyflow's `null` is dropped on the way back). Everything else on a flow
 * node (selection, measurements, drag state) belongs to the canvas and never reaches the definition.
 */

/** A node's settings as stored, without its id (the flow node carries the id). */
export type StepData = DistributiveOmit<JourneyNode, 'id'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type StepFlowNode = Node<StepData & Record<string, unknown>, NodeType>;
/** `label`: the branch's name, shown on edges that leave a multi-output node. */
export type StepFlowEdge = Edge<{ label?: string }, 'branch'>;

/** The draft as the canvas edits it. Read defensively: a draft is any JSON the API accepted. */
export interface Draft {
	schemaVersion: 1;
	nodes: JourneyNode[];
	edges: JourneyEdge[];
	settings: JourneySettings;
	[key: string]: unknown;
}

/** Size of a node on the canvas; auto-layout spaces nodes by it. */
export const NODE_WIDTH = 256;
export const NODE_HEIGHT = 96;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A stored draft as the canvas can draw it: nodes without a string id and edges without string ends are left
 * out (the JSON editor and validation still show them), missing lists become empty.
 */
export function readDraft(raw: unknown): Draft {
	const d = isRecord(raw) ? raw : {};
	const nodes = Array.isArray(d.nodes) ? d.nodes.filter((n): n is JourneyNode => isRecord(n) && typeof n.id === 'string' && typeof n.type === 'string') : [];
	const edges = Array.isArray(d.edges)
		? d.edges.filter((e): e is JourneyEdge => isRecord(e) && typeof e.id === 'string' && typeof e.source === 'string' && typeof e.target === 'string')
		: [];
	const settings = (isRecord(d.settings) ? d.settings : { reentry: { mode: 'never' }, exitCriteria: [] }) as JourneySettings;
	return { ...d, schemaVersion: 1, nodes, edges, settings };
}

/** The node without its id: what a flow node carries as `data`. */
export function dataOf(node: JourneyNode): StepData & Record<string, unknown> {
	const { id: _id, ...data } = node;
	return data as StepData & Record<string, unknown>;
}

export function nodeOf(id: string, data: StepData): JourneyNode {
	return { id, ...data } as JourneyNode;
}

/** The label an edge shows: its branch's name, when the source has several outputs. */
export function branchLabel(source: JourneyNode | undefined, handle: string | undefined): string | undefined {
	if (!source || handle === undefined) return undefined;
	try {
		return outputsOf(source).find((b) => b.handle === handle)?.label ?? handle;
	} catch {
		return handle;
	}
}

export function toFlowEdge(edge: JourneyEdge, source: JourneyNode | undefined): StepFlowEdge {
	const label = branchLabel(source, edge.sourceHandle);
	return {
		id: edge.id,
		source: edge.source,
		target: edge.target,
		type: 'branch',
		...(edge.sourceHandle !== undefined ? { sourceHandle: edge.sourceHandle } : {}),
		data: label === undefined ? {} : { label }
	};
}

/** Definition + layout → flow. Nodes without a saved position are placed by `tidy`. */
export function toFlow(draft: Draft, layout: JourneyLayout): { nodes: StepFlowNode[]; edges: StepFlowEdge[] } {
	const missing = draft.nodes.some((n) => !layout.nodes[n.id]);
	const placed = missing ? { ...tidy(draft), ...layout.nodes } : layout.nodes;
	const byId = new Map(draft.nodes.map((n) => [n.id, n]));
	return {
		nodes: draft.nodes.map((n) => ({ id: n.id, type: n.type, position: placed[n.id] ?? { x: 0, y: 0 }, data: dataOf(n) })),
		edges: draft.edges.map((e) => toFlowEdge(e, byId.get(e.source)))
	};
}

/** Flow → definition parts + positions; xyflow's `null` handles and canvas-only fields are dropped. */
export function fromFlow(
	nodes: readonly Pick<StepFlowNode, 'id' | 'data' | 'position'>[],
	edges: readonly Pick<Edge, 'id' | 'source' | 'target' | 'sourceHandle'>[]
): { nodes: JourneyNode[]; edges: JourneyEdge[]; positions: Record<string, NodePosition> } {
	return {
		nodes: nodes.map((n) => nodeOf(n.id, n.data)),
		edges: edges.map((e) => ({
			id: e.id,
			source: e.source,
			target: e.target,
			...(e.sourceHandle !== undefined && e.sourceHandle !== null ? { sourceHandle: e.sourceHandle } : {})
		})),
		positions: Object.fromEntries(nodes.map((n) => [n.id, { x: n.position.x, y: n.position.y }]))
	};
}

/** The handle order of a node's outputs (yes before else, A before B); unknown handles go last. */
function handleRank(node: JourneyNode | undefined, handle: string | undefined): number {
	if (!node) return 0;
	let outputs: { handle?: string }[];
	try {
		outputs = outputsOf(node);
	} catch {
		return 0;
	}
	const i = outputs.findIndex((b) => b.handle === handle);
	return i === -1 ? outputs.length : i;
}

/**
 * Auto-layout, top to bottom, with dagre. Branch order is kept (a condition's first branch left of `else`, a
 * split's A left of B): dagre's crossing-minimisation is turned off and its initial order comes from a
 * depth-first walk that visits each node's outputs in handle order, so a tree never crosses itself.
 */
export function tidy(draft: Pick<Draft, 'nodes' | 'edges'>): Record<string, NodePosition> {
	const g = new dagre.graphlib.Graph({ multigraph: true });
	g.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 72, marginx: 24, marginy: 24 });
	g.setDefaultEdgeLabel(() => ({}));
	const byId = new Map(draft.nodes.map((n) => [n.id, n]));
	const out = new Map<string, JourneyEdge[]>();
	for (const e of draft.edges) {
		if (!byId.has(e.source) || !byId.has(e.target) || e.source === e.target) continue;
		out.set(e.source, [...(out.get(e.source) ?? []), e]);
	}
	for (const [id, list] of out) list.sort((a, b) => handleRank(byId.get(id), a.sourceHandle) - handleRank(byId.get(id), b.sourceHandle));

	// Nodes and edges enter the graph in depth-first preorder from the trigger(s), outputs in handle order.
	const seen = new Set<string>();
	const order: string[] = [];
	const starts = [...draft.nodes.filter((n) => n.type === 'trigger'), ...draft.nodes.filter((n) => n.type !== 'trigger')];
	const visit = (id: string) => {
		if (seen.has(id)) return;
		seen.add(id);
		order.push(id);
		for (const e of out.get(id) ?? []) visit(e.target);
	};
	for (const n of starts) visit(n.id);
	for (const id of order) g.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
	for (const id of order) for (const e of out.get(id) ?? []) g.setEdge(e.source, e.target, {}, e.id);
	dagre.layout(g, { disableOptimalOrderHeuristic: true });
	return Object.fromEntries(
		order.map((id) => {
			const p = g.node(id);
			return [id, { x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - NODE_HEIGHT / 2) }];
		})
	);
}
