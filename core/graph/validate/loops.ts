import type { Workspace } from './workspace';
import { lower, nodeName } from './problems';
import { report } from './workspace';

/**
 * Whether passing through this node takes time. A wait until a fixed date does not once the date
 * has passed, so it does not count; a step whose schema failed counts by its declared type, so
 * one typo does not also raise a loop problem.
 */
function holdsCustomer(ws: Workspace, id: string): boolean {
	const node = ws.nodes.get(id);
	if (node) return node.type === 'waitForEvent' || (node.type === 'wait' && node.mode !== 'until' && node.mode !== 'date');
	const type = ws.stubById.get(id)?.type;
	return type === 'wait' || type === 'waitForEvent';
}

/**
 * A loop with no wait in it would spin forever within one workflow task. Removing every waiting
 * node leaves a graph that must be acyclic: each strongly connected component of size > 1, or a
 * node with an edge to itself, is such a loop (Tarjan's algorithm).
 */
export function checkLoops(ws: Workspace): void {
	const ids = [...ws.stubById.keys()].filter((id) => !holdsCustomer(ws, id));
	const inGraph = new Set(ids);
	const next = new Map<string, string[]>(ids.map((id) => [id, []]));
	for (const e of ws.edges) if (inGraph.has(e.source) && inGraph.has(e.target)) next.get(e.source)?.push(e.target);

	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const loops: string[][] = [];
	const connect = (v: string): void => {
		index.set(v, index.size);
		low.set(v, index.get(v) ?? 0);
		stack.push(v);
		onStack.add(v);
		for (const w of next.get(v) ?? []) {
			if (!index.has(w)) connect(w);
			if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
		}
		if (low.get(v) !== index.get(v)) return;
		const component: string[] = [];
		for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
			onStack.delete(w);
			component.push(w);
		}
		if (component.length > 1 || next.get(v)?.includes(v)) loops.push(component.reverse());
	};
	for (const id of ids) if (!index.has(id)) connect(id);

	for (const loop of loops) {
		const names = loop.map((id) => {
			const stub = ws.stubById.get(id);
			return stub ? lower(nodeName(stub)) : id;
		});
		report(
			ws,
			'loop_without_wait',
			`These steps form a loop with no wait in it, so a customer would go round it endlessly: ${names.join(', ')}. Add a wait inside the loop.`,
			{ nodeId: loop[0] }
		);
	}
}
