import { branchesOf, reachableFrom } from '../graph';
import { lower, nodeName } from './problems';
import { nameOf, report, type Workspace } from './workspace';

const CONNECT = 'Connect it to the next step or to an exit.';

/** Ids must be unique: edges and the step log refer to nodes by id. */
export function checkIds(ws: Workspace): void {
	const seen = new Set<string>();
	for (const s of ws.stubs) {
		if (s.id === undefined) continue;
		if (seen.has(s.id)) report(ws, 'duplicate_node_id', `Two steps share the id “${s.id}”; give each its own.`, { nodeId: s.id });
		seen.add(s.id);
	}
	const edgeIds = new Set<string>();
	for (const e of ws.edges) {
		if (edgeIds.has(e.id)) report(ws, 'duplicate_edge_id', `Two connections share the id “${e.id}”.`, { edgeId: e.id });
		edgeIds.add(e.id);
	}
}

/** Exactly one trigger; returns its id when there is one. */
export function checkTrigger(ws: Workspace): string | undefined {
	const triggers = ws.stubs.filter((s) => s.type === 'trigger');
	if (triggers.length === 0) report(ws, 'missing_trigger', 'The journey has no trigger: add one to say who enters.');
	for (const extra of triggers.slice(1))
		report(ws, 'multiple_triggers', `A journey has only one trigger; remove ${lower(nodeName(extra))} or merge it into the first.`, {
			nodeId: extra.id
		});
	return triggers.length === 1 ? triggers[0]?.id : undefined;
}

/** Each edge must join two known steps, leave by an output its source has, and be alone on it. */
export function checkEdges(ws: Workspace): void {
	const used = new Set<string>();
	for (const e of ws.edges) {
		const where = { edgeId: e.id, nodeId: ws.stubById.has(e.source) ? e.source : undefined, branch: e.sourceHandle };
		if (!ws.stubById.has(e.source)) {
			report(ws, 'edge_unknown_source', `A connection starts from a step that no longer exists (“${e.source}”).`, where);
			continue;
		}
		const from = nameOf(ws, e.source);
		if (!ws.stubById.has(e.target)) report(ws, 'edge_unknown_target', `${from} leads to a step that no longer exists (“${e.target}”).`, where);
		else if (ws.stubById.get(e.target)?.type === 'trigger')
			report(ws, 'edge_into_trigger', `${from} leads back into the trigger; the trigger can only start the journey.`, where);
		const node = ws.nodes.get(e.source);
		if (!node) continue; // its own schema problems are reported already
		const branches = branchesOf(node);
		const branch = branches.find((b) => b.handle === e.sourceHandle);
		if (branches.length === 0) {
			report(ws, 'edge_from_exit', `${from} ends the journey, so nothing can follow it.`, where);
		} else if (!branch) {
			const handle = e.sourceHandle === undefined ? 'its main output' : `an output it doesn't have (“${e.sourceHandle}”)`;
			report(ws, 'edge_unknown_handle', `A connection leaves ${lower(from)} from ${handle}.`, where);
		} else {
			const key = `${e.source}\u0000${e.sourceHandle ?? ''}`;
			if (used.has(key)) {
				const out = branch.handle === undefined ? '' : ` from “${branch.label}”`;
				report(ws, 'duplicate_branch_edge', `${from} has two connections${out}; keep only one.`, where);
			}
			used.add(key);
		}
	}
}

/** Every output must lead somewhere (an exit ends a path explicitly). */
export function checkBranches(ws: Workspace): void {
	for (const node of ws.nodes.values()) {
		for (const b of branchesOf(node)) {
			if (ws.edges.some((e) => e.source === node.id && e.sourceHandle === b.handle)) continue;
			const message =
				b.handle === undefined ? `${nameOf(ws, node.id)} doesn't lead anywhere. ${CONNECT}` : `${nameOf(ws, node.id)} has no path for “${b.label}”. ${CONNECT}`;
			report(ws, 'missing_branch', message, { nodeId: node.id, branch: b.handle });
		}
	}
}

/** Steps the trigger cannot reach would never run. */
export function checkReachability(ws: Workspace, triggerId: string): void {
	const graph = { nodes: [...ws.stubById.keys()].map((id) => ({ id })), edges: ws.edges };
	const reached = reachableFrom(graph, triggerId);
	for (const s of ws.stubById.values())
		if (!reached.has(s.id ?? '')) report(ws, 'unreachable_node', `${nodeName(s)} can't be reached from the trigger.`, { nodeId: s.id });
}
