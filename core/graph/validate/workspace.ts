import type { JourneyEdge } from '../definition';
import type { JourneyNode } from '../nodes';
import { nodeName, type NodeStub, type Problem, type ProblemCode } from './problems';

/** What the graph checks work on: every node as far as it could be read, and what parsed. */
export interface Workspace {
	stubs: NodeStub[];
	/** First node with each id. */
	stubById: Map<string, NodeStub>;
	/** Nodes that passed the schema, by id (first occurrence). */
	nodes: Map<string, JourneyNode>;
	/** Edges that passed the schema. */
	edges: JourneyEdge[];
	problems: Problem[];
}

export function createWorkspace(stubs: NodeStub[], nodes: JourneyNode[], edges: JourneyEdge[], problems: Problem[]): Workspace {
	const stubById = new Map<string, NodeStub>();
	for (const s of stubs) if (s.id !== undefined && !stubById.has(s.id)) stubById.set(s.id, s);
	const byId = new Map<string, JourneyNode>();
	for (const n of nodes) if (!byId.has(n.id)) byId.set(n.id, n);
	return { stubs, stubById, nodes: byId, edges, problems };
}

/** `The email step “Welcome”` for a known id. */
export function nameOf(ws: Workspace, nodeId: string): string {
	const stub = ws.stubById.get(nodeId);
	return stub ? nodeName(stub) : `The step “${nodeId}”`;
}

export function report(ws: Workspace, code: ProblemCode, message: string, where: Omit<Problem, 'code' | 'message'> = {}): void {
	ws.problems.push({ ...where, code, message });
}
