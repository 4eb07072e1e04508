import { z } from 'zod';
import { Id } from './nodes/common';

/**
 * Editor layout — where each node sits on the canvas and the saved viewport — kept beside a journey's definition,
 * never inside it: moving a node is not a change of behaviour, so it never mints a version and publishing never
 * compares it. Versions keep the layout they were published with, so their read-only canvas looks as drawn.
 */

export const NodePosition = z.object({ x: z.number().finite(), y: z.number().finite() });
export type NodePosition = z.infer<typeof NodePosition>;

export const Viewport = z.object({ x: z.number().finite(), y: z.number().finite(), zoom: z.number().positive().max(10) });
export type Viewport = z.infer<typeof Viewport>;

export const JourneyLayout = z.object({
	nodes: z.record(Id, NodePosition).default({}),
	viewport: Viewport.optional()
});
export type JourneyLayout = z.infer<typeof JourneyLayout>;

export const emptyLayout = (): JourneyLayout => ({ nodes: {} });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored layout read back; anything unreadable counts as "not laid out yet" (the builder lays it out). */
export function readLayout(raw: unknown): JourneyLayout {
	const parsed = JourneyLayout.safeParse(raw);
	return parsed.success ? parsed.data : emptyLayout();
}

/**
 * Takes editor layout out of a draft: `position` found on nodes (pasted JSON, older drafts, xyflow exports) moves
 * into the layout, on top of `layout`. The draft comes back without it; anything else in it is left as it is.
 */
export function splitLayout(draft: unknown, layout: JourneyLayout = emptyLayout()): { draft: unknown; layout: JourneyLayout } {
	if (!isRecord(draft) || !Array.isArray(draft.nodes)) return { draft, layout };
	const nodes: Record<string, NodePosition> = { ...layout.nodes };
	let moved = false;
	const stripped = draft.nodes.map((n: unknown) => {
		if (!isRecord(n) || !('position' in n)) return n;
		moved = true;
		const { position, ...rest } = n;
		const pos = NodePosition.safeParse(position);
		if (pos.success && typeof rest.id === 'string') nodes[rest.id] = pos.data;
		return rest;
	});
	return moved ? { draft: { ...draft, nodes: stripped }, layout: { ...layout, nodes } } : { draft, layout };
}
