import jStat from 'jstat';

/** 95% everywhere: z = Φ⁻¹(0.975). */
export const ALPHA = 0.05;
const Z = jStat.normal.inv(1 - ALPHA / 2, 0, 1);

/** Below this many customers in an arm, comparisons say "not enough data yet" (the asymptotics need it). */
export const MIN_PER_ARM = 100;
/** The sample-ratio-mismatch alarm: χ² p-value below this. */
export const SRM_P = 0.001;
/** The confidence sequence is tightest around this many customers in the comparison (fixed in advance). */
export const CS_TUNED_FOR_N = 10_000;

export const METHOD_SENTENCE =
	'Differences use anytime-valid 95% confidence sequences (Waudby-Smith et al. 2023, normal mixture), so you may look at the results as often as you like and stop as soon as an interval excludes zero; with more than two variants each comparison uses α divided by the number of comparisons.';

export interface Interval {
	lo: number;
	hi: number;
}

/** Wilson score interval for x successes in n trials (Wilson 1927), 95% by default. */
export function wilson(x: number, n: number, z = Z): Interval | null {
	if (n <= 0) return null;
	const p = x / n;
	const d = 1 + (z * z) / n;
	const centre = (p + (z * z) / (2 * n)) / d;
	const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
	return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/**
 * Anytime-valid confidence sequence for p_B − p_A in a randomised test that assigns B with probability `pi`
 * (between these two arms). Each customer contributes the inverse-probability-weighted outcome
 * φ = Z·Y/π − (1−Z)·Y/(1−π), whose mean is the difference; the asymptotic CS of Waudby-Smith et al. (2023,
 * Thm 2.2) for a mean is  μ̂ ± √( (nσ̂²ρ²+1)/(n²ρ²) · ln((nσ̂²ρ²+1)/α²) ),  with ρ fixed in advance to be
 * tightest near CS_TUNED_FOR_N. Valid at every n simultaneously, so peeking does not inflate errors.
 */
export function differenceSequence(
	a: { n: number; x: number },
	b: { n: number; x: number },
	pi: number,
	alpha = ALPHA
): (Interval & { estimate: number }) | null {
	const n = a.n + b.n;
	if (a.n <= 0 || b.n <= 0 || !(pi > 0 && pi < 1)) return null;
	const mean = (b.x / pi - a.x / (1 - pi)) / n;
	const sumSq = b.x / (pi * pi) + a.x / ((1 - pi) * (1 - pi));
	const variance = Math.max(sumSq / n - mean * mean, 0);
	const rho2 = csRho2(alpha);
	const v = n * variance * rho2 + 1;
	const half = Math.sqrt((v / (n * n * rho2)) * Math.log(v / (alpha * alpha)));
	return { estimate: mean, lo: mean - half, hi: mean + half };
}

/** ρ² minimising the width at n = CS_TUNED_FOR_N (Waudby-Smith et al. 2023, eq. for ρ*(t*)). */
export function csRho2(alpha = ALPHA, tuned = CS_TUNED_FOR_N): number {
	const l = -2 * Math.log(alpha);
	return (l + Math.log(l + 1)) / tuned;
}

/** Pearson's χ² goodness of fit of observed counts to expected shares (sum 1): statistic, df and p-value. */
export function chiSquare(observed: readonly number[], shares: readonly number[]): { statistic: number; df: number; p: number } | null {
	const total = observed.reduce((s, x) => s + x, 0);
	if (observed.length < 2 || total === 0 || observed.length !== shares.length) return null;
	let statistic = 0;
	for (let i = 0; i < observed.length; i++) {
		const expected = total * (shares[i] ?? 0);
		if (expected <= 0) return null;
		statistic += ((observed[i] ?? 0) - expected) ** 2 / expected;
	}
	const df = observed.length - 1;
	return { statistic, df, p: 1 - jStat.chisquare.cdf(statistic, df) };
}
