import { getContext, setContext } from 'svelte';
import type { NodeType, Problem } from '$core/graph/index';
import type { Port } from './operations';

/**
 * What the canvas tells many numbers on it about at once — problems, counts, diff marks, which outputs are wired,
 * the palette's dragged kind — shared through one context rather than copied into every node's `data`, so a
 * change of counts or problems never rebuilds the flow (and `data` stays exactly the journey node).
 */

/** Figures shown on a node (customers in it now, entered; a funnel's numbers on the analytics page). */
export interface NodeOverlay {
	primary: string;
	secondary?: string;
	tone?: 'neutral' | 'good' | 'bad';
}

/**
 * Numbers drawn over the canvas, by node id and edge id. Stable contract: the builder's live counts and the
 * analytics page's funnel both pass one.
 */
export interface CanvasOverlay {
	nodes?: Record<string, NodeOverlay>;
	edges?: Record<string, string>;
}

export type DiffMark = 'added' | 'removed' | 'changed';
export interface CanvasHighlight {
	nodes?: Record<string, DiffMark>;
	edges?: Record<string, DiffMark>;
}

export class CanvasContext {
	readonly = $state(false);
	problemsByNode = $state.raw(new Map<string, Problem[]>());
	problemsByEdge = $state.raw(new Map<string, Problem[]>());
	overlay = $state.raw<CanvasOverlay | undefined>();
	highlight = $state.raw<CanvasHighlight | undefined>();
	/** `${source}\n${handle ?? ''}` of every wired output, for the "+" on free ones. */
	wired = $state.raw(new Set<string>());
	/** The edge a dragged palette item would be dropped onto. */
	dropEdge = $state<string | undefined>();
	/** The kind being dragged from the palette. */
	dragged = $state<NodeType | undefined>();
	/** Opens the add menu for a free output, at a point on screen. */
	addFrom: (port: Port, at: { x: number; y: number }) => void = () => {};
}

export const portKey = (source: string, handle: string | undefined | null) => `${source}\n${handle ?? ''}`;

const KEY = Symbol('journey-canvas');

export function provideCanvasContext(ctx: CanvasContext): CanvasContext {
	return setContext(KEY, ctx);
}

export function canvasContext(): CanvasContext {
	return getContext<CanvasContext>(KEY);
}
