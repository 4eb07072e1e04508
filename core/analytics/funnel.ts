import type { JourneyNode } from '../graph/nodes';
import { kindName } from '../graph/kinds';
import { medianFromBuckets } from './dwell';
import { CHANNEL_OF_NODE } from './filters';
import type { RollupSum, Scope } from './scope';

export interface Count {
	customers: number;
	visits: number;
}

export interface NodeFigures {
	nodeId: string;
	type: string;
	label: string;
	channel: string | null;
	entered: Count;
	/** Active enrollments at this step now. */
	here: number;
	/** Left by each branch ('' = the single output): customers (first visits) and visits. */
	movedOn: Record<string, Count>;
	movedOnTotal: Count;
	/** Ended here without converting: exited, completed (end of path or exit step), failed. */
	dropped: number;
	endedBy: Record<string, number>;
	/** Conversions recorded while at this step. */
	convertedHere: number;
	/** Converted enrollments that passed this step (within the goal's attribution window, as the engine records). */
	reachedConverted: number;
	/** reachedConverted / entered customers. */
	conversionRate: number | null;
	revenueHere: number;
	/** Median time from entering to leaving by a branch; from log buckets (±9%). */
	medianTimeMs: number | null;
	medianTimeRange: { lo: number; hi: number } | null;
	skippedBy: Record<string, number>;
	heldBy: Record<string, number>;
	failed: number;
}

export interface EdgeFigures {
	edgeId: string;
	source: string;
	target: string;
	branch: string;
	customers: number;
	visits: number;
	/** customers / customers who left the source by any branch; null when nobody left yet. */
	share: number | null;
}

function empty(node: Pick<JourneyNode, 'id' | 'type' | 'label'>): NodeFigures {
	return {
		nodeId: node.id,
		type: node.type,
		label: node.label?.trim() || kindName(node.type),
		channel: CHANNEL_OF_NODE[node.type] ?? null,
		entered: { customers: 0, visits: 0 },
		here: 0,
		movedOn: {},
		movedOnTotal: { customers: 0, visits: 0 },
		dropped: 0,
		endedBy: {},
		convertedHere: 0,
		reachedConverted: 0,
		conversionRate: null,
		revenueHere: 0,
		medianTimeMs: null,
		medianTimeRange: null,
		skippedBy: {},
		heldBy: {},
		failed: 0
	};
}

const DROPPED = new Set(['exited', 'completed', 'failed']);

/**
 * Per node and per edge, from summed rollup rows. Nodes are matched by id across versions (version "all"), so a
 * step kept from one version to the next adds up; the shown version's graph gives the edges.
 */
export function buildFunnel(scope: Scope, sums: readonly RollupSum[]): { nodes: NodeFigures[]; edges: EdgeFigures[] } {
	const byId = new Map<string, NodeFigures>();
	const order: string[] = [];
	const versionsNewestFirst = [...scope.versions].reverse();
	for (const v of [scope.shown, ...versionsNewestFirst]) {
		for (const node of v?.definition.nodes ?? []) {
			if (!byId.has(node.id)) {
				byId.set(node.id, empty(node));
				order.push(node.id);
			}
		}
	}
	const triggers = new Set(scope.versions.flatMap((v) => v.definition.nodes.filter((n) => n.type === 'trigger').map((n) => `${v.version}\n${n.id}`)));
	const dwell = new Map<string, Map<number, number>>();

	for (const s of sums) {
		const f = byId.get(s.nodeId);
		if (!f) continue;
		switch (s.metric) {
			case 'entered':
				f.entered.customers += s.customers;
				f.entered.visits += s.visits;
				break;
			case 'here':
				f.here += s.customers;
				break;
			case 'left': {
				const c = (f.movedOn[s.key] ??= { customers: 0, visits: 0 });
				c.customers += s.customers;
				c.visits += s.visits;
				f.movedOnTotal.customers += s.customers;
				f.movedOnTotal.visits += s.visits;
				break;
			}
			case 'ended':
				f.endedBy[s.key] = (f.endedBy[s.key] ?? 0) + s.customers;
				if (DROPPED.has(s.key)) f.dropped += s.customers;
				break;
			case 'converted':
				f.convertedHere += s.customers;
				f.revenueHere += s.amount;
				break;
			case 'reached_converted':
				f.reachedConverted += s.customers;
				break;
			case 'skipped':
				f.skippedBy[s.key] = (f.skippedBy[s.key] ?? 0) + s.visits;
				break;
			case 'held':
				f.heldBy[s.key] = (f.heldBy[s.key] ?? 0) + s.visits;
				break;
			case 'failed':
				f.failed += s.visits;
				break;
			case 'dwell': {
				const m = dwell.get(s.nodeId) ?? new Map<number, number>();
				m.set(Number(s.key), (m.get(Number(s.key)) ?? 0) + s.visits);
				dwell.set(s.nodeId, m);
				break;
			}
		}
		// The trigger has no leaving row: whoever entered it and is neither still there nor ended there moved on.
		if (triggers.has(`${s.version}\n${s.nodeId}`) && (s.metric === 'entered' || s.metric === 'here' || s.metric === 'ended')) {
			const sign = s.metric === 'entered' ? 1 : -1;
			const c = (f.movedOn[''] ??= { customers: 0, visits: 0 });
			c.customers += sign * s.customers;
			c.visits += sign * (s.metric === 'entered' ? s.visits : s.customers);
			f.movedOnTotal.customers += sign * s.customers;
			f.movedOnTotal.visits += sign * (s.metric === 'entered' ? s.visits : s.customers);
		}
	}
	for (const f of byId.values()) {
		f.conversionRate = f.entered.customers > 0 ? f.reachedConverted / f.entered.customers : null;
		const median = medianFromBuckets(dwell.get(f.nodeId) ?? new Map());
		f.medianTimeMs = median?.ms ?? null;
		f.medianTimeRange = median ? { lo: median.lo, hi: median.hi } : null;
	}

	const edges: EdgeFigures[] = (scope.shown?.definition.edges ?? []).map((e) => {
		const source = byId.get(e.source);
		const count = source?.movedOn[e.sourceHandle ?? ''] ?? { customers: 0, visits: 0 };
		const left = source?.movedOnTotal.customers ?? 0;
		return {
			edgeId: e.id,
			source: e.source,
			target: e.target,
			branch: e.sourceHandle ?? '',
			customers: count.customers,
			visits: count.visits,
			share: left > 0 ? count.customers / left : null
		};
	});
	return { nodes: order.map((id) => byId.get(id)!), edges };
}
