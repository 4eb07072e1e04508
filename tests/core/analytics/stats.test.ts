import { describe, expect, it } from 'vitest';
import { chiSquare, csRho2, differenceSequence, wilson } from '../../../core/analytics/stats';

describe('Wilson score intervals (95%)', () => {
	// Worked examples from Newcombe R.G. (1998), "Two-sided confidence intervals for the single proportion:
	// comparison of seven methods", Statistics in Medicine 17:857–872, Table I (method 3, score without
	// continuity correction): 81/263 → 0.2553–0.3662, 15/148 → 0.0624–0.1605, 0/20 → 0–0.1611, 1/29 → 0.0061–0.1718.
	it.each([
		[81, 263, 0.2553, 0.3662],
		[15, 148, 0.0624, 0.1605],
		[0, 20, 0, 0.1611],
		[1, 29, 0.0061, 0.1718]
	])('%i of %i → %f–%f', (x, n, lo, hi) => {
		const i = wilson(x, n)!;
		expect(i.lo).toBeCloseTo(lo, 4);
		expect(i.hi).toBeCloseTo(hi, 4);
	});

	it('has no interval without trials', () => {
		expect(wilson(0, 0)).toBeNull();
	});
});

describe('sample-ratio mismatch (Pearson χ²)', () => {
	// Critical values from a χ² table (e.g. NIST/SEMATECH e-Handbook, Table 1.3.6.7.4): upper 0.001 points are
	// 10.828 for 1 degree of freedom and 13.816 for 2.
	it('puts the 1-df table critical value at p = 0.001', () => {
		// Two halves of N = 10 000 off by d: χ² = 2·(d/2)²/(N/2) = d²/N, so d = √(10.828·N) gives 10.828.
		const total = 10_000;
		const d = Math.sqrt(10.828 * total);
		const r = chiSquare([total / 2 + d / 2, total / 2 - d / 2], [0.5, 0.5])!;
		expect(r.statistic).toBeCloseTo(10.828, 6);
		expect(r.df).toBe(1);
		expect(r.p).toBeCloseTo(0.001, 5);
	});

	it('computes a three-arm example by hand: 380/420/200 against 40/40/20 %', () => {
		// Expected 400, 400, 200: 20²/400 + 20²/400 + 0 = 2.0 with 2 df; p = e^(−2/2) = 0.367879
		// (for 2 df the χ² survival function is exactly e^(−x/2)).
		const r = chiSquare([380, 420, 200], [0.4, 0.4, 0.2])!;
		expect(r.statistic).toBeCloseTo(2, 10);
		expect(r.df).toBe(2);
		expect(r.p).toBeCloseTo(Math.exp(-1), 6);
	});

	it('puts the 2-df table critical value 13.816 at p = 0.001 (closed form e^(−6.908) = 0.000999)', () => {
		// 2·d²/400 = 13.816 → d = √(13.816·200) = 52.5662
		const d = Math.sqrt(13.816 * 200);
		const r = chiSquare([400 + d, 400 - d, 200], [0.4, 0.4, 0.2])!;
		expect(r.statistic).toBeCloseTo(13.816, 6);
		expect(r.p).toBeCloseTo(0.001, 5);
		expect(r.p).toBeCloseTo(Math.exp(-13.816 / 2), 8);
	});
});

describe('anytime-valid confidence sequence for a difference in conversion', () => {
	it('tunes ρ as in Waudby-Smith et al. (2023) for α = 0.05 at n = 10 000', () => {
		// l = −2 ln 0.05 = 5.991465; ρ² = (l + ln(l + 1)) / 10 000 = (5.991465 + 1.944692) / 10 000 = 7.936157e-4
		expect(csRho2()).toBeCloseTo(7.936157e-4, 9);
	});

	it('matches a hand computation: 100/1000 in control, 130/1000 in the variant, π = ½', () => {
		// φ per customer: variant converter 1/π = 2, control converter −1/(1−π) = −2, others 0.
		// n = 2000; mean = (130·2 − 100·2)/2000 = 0.03; Σφ² = 130·4 + 100·4 = 920; σ² = 920/2000 − 0.03² = 0.4591
		// v = nσ²ρ² + 1 = 2000·0.4591·7.936157e-4 + 1 = 1.728698
		// half = √( v/(n²ρ²) · ln(v/α²) ) = √( 1.728698/(4e6·7.936157e-4) · ln(1.728698/0.0025) ) = √(0.544566 · 6.538802) = 0.059673
		const cs = differenceSequence({ n: 1000, x: 100 }, { n: 1000, x: 130 }, 0.5)!;
		expect(cs.estimate).toBeCloseTo(0.03, 12);
		expect(cs.lo).toBeCloseTo(0.03 - 0.059673, 5);
		expect(cs.hi).toBeCloseTo(0.03 + 0.059673, 5);
	});

	it('is wider than a fixed-horizon 95% interval (the price of peeking) yet excludes zero for a large effect', () => {
		const fixedHalf = 1.959964 * Math.sqrt((0.1 * 0.9) / 1000 + (0.13 * 0.87) / 1000); // 0.028
		const cs = differenceSequence({ n: 1000, x: 100 }, { n: 1000, x: 130 }, 0.5)!;
		expect(cs.hi - cs.estimate).toBeGreaterThan(fixedHalf);
		const big = differenceSequence({ n: 5000, x: 500 }, { n: 5000, x: 700 }, 0.5)!;
		expect(big.lo).toBeGreaterThan(0);
	});
});
