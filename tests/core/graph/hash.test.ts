import { describe, expect, it } from 'vitest';
import { HOLDOUT_BRANCH, fnv1a32, hash32, pickVariant } from '../../../core/graph';

const customers = Array.from({ length: 10_000 }, (_, i) => `customer-${i + 1}`);

function shares(nodeId: string, variants: { id: string; weight: number }[], holdout = 0): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const c of customers) {
		const v = pickVariant(c, nodeId, variants, holdout);
		counts[v] = (counts[v] ?? 0) + 1;
	}
	return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n / customers.length]));
}

describe('hashing', () => {
	it('implements FNV-1a 32-bit over UTF-8 (published test vectors)', () => {
		expect(fnv1a32('')).toBe(0x811c9dc5);
		expect(fnv1a32('a')).toBe(0xe40c292c);
		expect(fnv1a32('foobar')).toBe(0xbf9cf968);
	});

	it('hashes non-ASCII ids by their UTF-8 bytes', () => {
		const reference = (s: string) => [...Buffer.from(s, 'utf8')].reduce((h, b) => Math.imul(h ^ b, 0x01000193) >>> 0, 0x811c9dc5);
		for (const s of ['é', 'Zoë-42', '客户', '🙂 emoji']) expect(fnv1a32(s)).toBe(reference(s));
	});

	it('is a pure function and pinned: changing it would move customers between variants', () => {
		const variants = [
			{ id: 'a', weight: 1 },
			{ id: 'b', weight: 1 }
		];
		const picks = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((c) => pickVariant(c, 'split-1', variants, 10));
		expect(picks).toEqual(['a', HOLDOUT_BRANCH, 'b', HOLDOUT_BRANCH, 'a', HOLDOUT_BRANCH]);
		expect(hash32('split-1\nalice')).toBe(2259598811);
		expect(pickVariant('alice', 'split-1', variants, 10)).toBe(picks[0]);
	});
});

describe('pickVariant distribution over 10 000 customers', () => {
	it('follows 50/50 and 70/30 weights within 2 points', () => {
		const even = shares('n1', [
			{ id: 'a', weight: 50 },
			{ id: 'b', weight: 50 }
		]);
		expect(even.a).toBeCloseTo(0.5, 1);
		expect(Math.abs((even.a ?? 0) - 0.5)).toBeLessThan(0.02);
		const skewed = shares('n2', [
			{ id: 'a', weight: 7 },
			{ id: 'b', weight: 3 }
		]);
		expect(Math.abs((skewed.a ?? 0) - 0.7)).toBeLessThan(0.02);
		expect(Math.abs((skewed.b ?? 0) - 0.3)).toBeLessThan(0.02);
	});

	it('keeps the holdout share and rescales the variants over the rest', () => {
		const s = shares(
			'n3',
			[
				{ id: 'a', weight: 1 },
				{ id: 'b', weight: 1 },
				{ id: 'c', weight: 2 }
			],
			20
		);
		expect(Math.abs((s[HOLDOUT_BRANCH] ?? 0) - 0.2)).toBeLessThan(0.02);
		expect(Math.abs((s.a ?? 0) - 0.2)).toBeLessThan(0.02);
		expect(Math.abs((s.b ?? 0) - 0.2)).toBeLessThan(0.02);
		expect(Math.abs((s.c ?? 0) - 0.4)).toBeLessThan(0.02);
	});

	it('assigns independently at two different splits', () => {
		const variants = [
			{ id: 'a', weight: 1 },
			{ id: 'b', weight: 1 }
		];
		const bothA = customers.filter((c) => pickVariant(c, 'first', variants) === 'a' && pickVariant(c, 'second', variants) === 'a');
		expect(Math.abs(bothA.length / customers.length - 0.25)).toBeLessThan(0.02);
	});

	it('never picks a zero-weight variant and refuses a split with none usable', () => {
		const s = shares('n4', [
			{ id: 'a', weight: 0 },
			{ id: 'b', weight: 1 }
		]);
		expect(s).toEqual({ b: 1 });
		expect(() => pickVariant('x', 'n5', [{ id: 'a', weight: 0 }])).toThrow(/no variant/);
	});
});
