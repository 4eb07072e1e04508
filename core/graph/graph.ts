import { ELSE_BRANCH, EVENT_BRANCH, TIMEOUT_BRANCH } from './branches';
import type { JourneyDefinition, JourneyEdge } from './definition';
import type { JourneyNode, TriggerNode } from './nodes';

/** One output of a node. `handle` is absent for the single output of simple nodes. */
export interface Branch {
	handle?: string;
	label: string;
}

/** The smallest shape the graph walks need; a `JourneyDefinition` is one. */
export interface GraphLike {
	nodes: readonly { id: string }[];
	edges: readonly { source: string; target: string; sourceHandle?: string }[];
}

function assertNever(value: never): never {
	throw new Error(`Unknown node: ${JSON.stringify(value)}`);
}

/**
 * The outputs a node has, in canvas order. Each must be wired before publishing. The split's
 * `holdout` is not among them: it ends the enrollment and is never wired.
 */
export function branchesOf(node: JourneyNode): Branch[] {
	switch (node.type) {
		case 'exit':
			return [];
		case 'waitForEvent':
			return [
				{ handle: EVENT_BRANCH, label: 'Event happened' },
				{ handle: TIMEOUT_BRANCH, label: 'Timed out' }
			];
		case 'condition':
			return [...node.branches.map((b) => ({ handle: b.id, label: b.label })), { handle: ELSE_BRANCH, label: node.elseLabel ?? 'Everyone else' }];
		case 'randomSplit':
			return node.variants.map((v) => ({ handle: v.id, label: v.label }));
		case 'trigger':
		case 'wait':
		case 'sendEmail':
		case 'sendSms':
		case 'sendWhatsApp':
		case 'sendPush':
		case 'adAudience':
		case 'grantOffer':
		case 'storeTask':
		case 'webhook':
		case 'updateProfile':
			return [{ label: 'Next' }];
		default:
			return assertNever(node);
	}
}

export function findNode(def: JourneyDefinition, nodeId: string): JourneyNode | undefined {
	return def.nodes.find((n) => n.id === nodeId);
}

export function triggerOf(def: JourneyDefinition): TriggerNode | undefined {
	return def.nodes.find((n): n is TriggerNode => n.type === 'trigger');
}

export function outgoingEdges(def: JourneyDefinition, nodeId: string): JourneyEdge[] {
	return def.edges.filter((e) => e.source === nodeId);
}

/**
 * The node reached from `nodeId` by `branch` (omit it for single-output nodes). `undefined`
 * means the path ends there: the interpreter treats it as an exit.
 */
export function nextNode(def: JourneyDefinition, nodeId: string, branch?: string): JourneyNode | undefined {
	const edge = def.edges.find((e) => e.source === nodeId && e.sourceHandle === branch);
	return edge ? findNode(def, edge.target) : undefined;
}

function successors(graph: GraphLike): Map<string, string[]> {
	const next = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
	for (const e of graph.edges) next.get(e.source)?.push(e.target);
	return next;
}

/** Ids reachable from `startId` (itself included), following edges to known nodes only. */
export function reachableFrom(graph: GraphLike, startId: string): Set<string> {
	const next = successors(graph);
	const seen = new Set<string>();
	const stack = next.has(startId) ? [startId] : [];
	for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
		if (seen.has(id)) continue;
		seen.add(id);
		for (const t of next.get(id) ?? []) if (next.has(t) && !seen.has(t)) stack.push(t);
	}
	return seen;
}

/**
 * Nodes in columns for display and auto-layout: each node sits one column right of its furthest
 * predecessor, loops' back edges ignored. Nodes the start cannot reach come last, in one column.
 */
export function layers(graph: GraphLike, startId: string): string[][] {
	const next = successors(graph);
	const depth = new Map<string, number>();
	const onPath = new Set<string>();
	// Longest path by DFS; an edge back onto the current path closes a loop and is skipped.
	const visit = (id: string, d: number): void => {
		if (onPath.has(id) || (depth.get(id) ?? -1) >= d) return;
		depth.set(id, d);
		onPath.add(id);
		for (const t of next.get(id) ?? []) if (next.has(t)) visit(t, d + 1);
		onPath.delete(id);
	};
	if (next.has(startId)) visit(startId, 0);
	const columns: string[][] = [];
	for (const n of graph.nodes) {
		const d = depth.get(n.id);
		if (d !== undefined) (columns[d] ??= []).push(n.id);
	}
	const rest = graph.nodes.filter((n) => !depth.has(n.id)).map((n) => n.id);
	return [...columns.filter((c) => c !== undefined), ...(rest.length ? [rest] : [])];
}

/** A stable reading order: by column, then by position in `nodes`. */
export function displayOrder(def: JourneyDefinition): string[] {
	const start = triggerOf(def)?.id ?? def.nodes[0]?.id ?? '';
	return layers(def, start).flat();
}
