import { branchesOf, layers } from './graph';
import { JourneyNode } from './nodes';
import { describeNode } from './describe';

/** One step of a draft as a read-only outline shows it: what it is, what it does, where each output leads. */
export interface OutlineStep {
	id: string;
	type: string;
	label: string;
	/** One plain sentence, or empty when the step is too broken to describe. */
	summary: string;
	outputs: { branch: string; targetId: string; targetLabel: string }[];
}

type RawEdge = { source: string; target: string; sourceHandle?: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Branch labels as the canvas names them (`Timed out`, a condition's branch label); raw handle names otherwise. */
function branchLabel(node: JourneyNode | undefined, handle: string | undefined): string {
	if (node) {
		const found = branchesOf(node).find((b) => b.handle === handle);
		if (found) return found.label;
	}
	return handle ?? 'Next';
}

/**
 * The steps of a draft in reading order (column by column from the trigger), tolerant of any JSON: a draft is
 * work in progress, and the outline is how the marketer sees it until the canvas exists.
 */
export function outlineOf(draft: unknown): OutlineStep[] {
	if (!isRecord(draft) || !Array.isArray(draft.nodes)) return [];
	const raws = draft.nodes.filter(isRecord).filter((n) => str(n.id) !== undefined);
	const edges: RawEdge[] = (Array.isArray(draft.edges) ? draft.edges : []).filter(isRecord).flatMap((e) => {
		const source = str(e.source);
		const target = str(e.target);
		return source && target ? [{ source, target, sourceHandle: str(e.sourceHandle) }] : [];
	});
	const byId = new Map(raws.map((n) => [n.id as string, n]));
	const labelOf = (id: string) => str(byId.get(id)?.label)?.trim() || id;
	const start = raws.find((n) => n.type === 'trigger')?.id ?? raws[0]?.id;
	const order = typeof start === 'string' ? layers({ nodes: raws.map((n) => ({ id: n.id as string })), edges }, start).flat() : [];
	return order.map((id) => {
		const raw = byId.get(id)!;
		const parsed = JourneyNode.safeParse(raw);
		const node = parsed.success ? parsed.data : undefined;
		return {
			id,
			type: str(raw.type) ?? 'unknown',
			label: labelOf(id),
			summary: node ? describeNode(node) : '',
			outputs: edges
				.filter((e) => e.source === id)
				.map((e) => ({ branch: branchLabel(node, e.sourceHandle), targetId: e.target, targetLabel: byId.has(e.target) ? labelOf(e.target) : e.target }))
		};
	});
}
