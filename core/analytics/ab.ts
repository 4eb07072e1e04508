import { HOLDOUT_BRANCH } from '../graph/branches';
import type { RandomSplitNode } from '../graph/nodes';
import type { RollupSum, Scope } from './scope';
import { ALPHA, chiSquare, differenceSequence, METHOD_SENTENCE, MIN_PER_ARM, SRM_P, wilson, type Interval } from './stats';

export interface Arm {
	id: string;
	label: string;
	/** Configured share of customers reaching the split (holdout included). */
	expectedShare: number;
	customers: number;
	converted: number;
	revenue: number;
	rate: number | null;
	interval: Interval | null;
	control: boolean;
	/** Versus the control: anytime-valid CS of the difference in conversion rate (B − control). */
	vsControl: Comparison | null;
}

export interface Comparison {
	status: 'not_enough_data' | 'better' | 'worse' | 'no_difference_yet';
	difference: (Interval & { estimate: number }) | null;
	alpha: number;
}

export interface AbResult {
	splitNodeId: string;
	splitLabel: string;
	arms: Arm[];
	method: string;
	minPerArm: number;
	srm: { statistic: number; df: number; p: number; mismatch: boolean } | null;
	/** Every variant pooled against the holdout: absolute lift with its CS, and relative lift (point estimate). */
	holdoutLift: (Comparison & { relative: number | null }) | null;
}

function compare(a: { n: number; x: number }, b: { n: number; x: number }, pi: number, alpha: number): Comparison {
	if (a.n < MIN_PER_ARM || b.n < MIN_PER_ARM) return { status: 'not_enough_data', difference: null, alpha };
	const difference = differenceSequence(a, b, pi, alpha);
	const status = !difference ? 'not_enough_data' : difference.lo > 0 ? 'better' : difference.hi < 0 ? 'worse' : 'no_difference_yet';
	return { status, difference, alpha };
}

/** The A/B/n table of the shown version's first random split: per arm conversion, comparisons, SRM, holdout lift. */
export function buildAb(scope: Scope, sums: readonly RollupSum[]): AbResult | null {
	const split = scope.shown?.definition.nodes.find((n): n is RandomSplitNode => n.type === 'randomSplit');
	if (!split) return null;
	const holdoutShare = (split.holdoutPercent ?? 0) / 100;
	const weightSum = split.variants.reduce((s, v) => s + Math.max(v.weight, 0), 0) || 1;
	const defs = [
		...split.variants.map((v) => ({
			id: v.id,
			label: v.label,
			share: ((1 - holdoutShare) * Math.max(v.weight, 0)) / weightSum,
			weight: Math.max(v.weight, 0)
		})),
		...(holdoutShare > 0 ? [{ id: HOLDOUT_BRANCH, label: 'Holdout', share: holdoutShare, weight: 0 }] : [])
	];
	const arms: Arm[] = defs.map((d, i) => {
		let customers = 0,
			converted = 0,
			revenue = 0;
		for (const s of sums) {
			if (s.nodeId === split.id && s.metric === 'left' && s.key === d.id) customers += s.customers;
			if (s.variant === d.id && s.metric === 'converted') {
				converted += s.customers;
				revenue += s.amount;
			}
		}
		return {
			id: d.id,
			label: d.label,
			expectedShare: d.share,
			customers,
			converted,
			revenue,
			rate: customers > 0 ? converted / customers : null,
			interval: wilson(converted, customers),
			control: i === 0,
			vsControl: null
		};
	});

	const variants = arms.filter((a) => a.id !== HOLDOUT_BRANCH);
	const control = variants[0];
	if (!control) return null;
	const alpha = variants.length > 2 ? ALPHA / (variants.length - 1) : ALPHA;
	for (const arm of variants.slice(1)) {
		const wA = defs.find((d) => d.id === control.id)!.weight;
		const wB = defs.find((d) => d.id === arm.id)!.weight;
		arm.vsControl = compare({ n: control.customers, x: control.converted }, { n: arm.customers, x: arm.converted }, wB / (wA + wB || 1), alpha);
	}

	const considered = arms.filter((a) => a.expectedShare > 0);
	const chi = chiSquare(
		considered.map((a) => a.customers),
		considered.map((a) => a.expectedShare)
	);
	const srm = chi ? { ...chi, mismatch: chi.p < SRM_P } : null;

	const holdout = arms.find((a) => a.id === HOLDOUT_BRANCH);
	let holdoutLift: AbResult['holdoutLift'] = null;
	if (holdout) {
		const treated = { n: variants.reduce((s, a) => s + a.customers, 0), x: variants.reduce((s, a) => s + a.converted, 0) };
		const base = { n: holdout.customers, x: holdout.converted };
		const cmp = compare(base, treated, 1 - holdoutShare, ALPHA);
		const pHold = base.n > 0 ? base.x / base.n : 0;
		const relative = base.n > 0 && treated.n > 0 && pHold > 0 ? treated.x / treated.n / pHold - 1 : null;
		holdoutLift = { ...cmp, relative };
	}
	return { splitNodeId: split.id, splitLabel: split.label?.trim() || 'Random split', arms, method: METHOD_SENTENCE, minPerArm: MIN_PER_ARM, srm, holdoutLift };
}
