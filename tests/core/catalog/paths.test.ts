import { describe, expect, it } from 'vitest';
import { propertyPaths } from '../../../core/catalog/paths';

describe('propertyPaths', () => {
	it('lists dotted paths, most common first, arrays through their first element', () => {
		const paths = propertyPaths([
			{ total: 10, items: [{ sku: 'A', qty: 1 }], address: { city: 'Lyon' } },
			{ total: 20, coupon: null },
			{ total: 5, items: [] }
		]);
		expect(paths).toEqual(['total', 'items', 'address', 'address.city', 'coupon', 'items.0', 'items.0.qty', 'items.0.sku']);
	});

	it('is bounded in depth and count, and ignores non-objects', () => {
		expect(propertyPaths([{ a: { b: { c: { d: { e: 1 } } } } }], { maxDepth: 2 })).toEqual(['a', 'a.b']);
		const wide = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i]));
		expect(propertyPaths([wide], { maxPaths: 3 })).toEqual(['k00', 'k01', 'k02']);
		expect(propertyPaths([null, 'x', 3, [1, 2]])).toEqual([]);
	});
});
