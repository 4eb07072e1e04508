import { describe, expect, it } from 'vitest';
import { conditionNeeds, evaluateCondition, stockKey, stockTarget, type ConditionContext } from '../../../core/graph/conditions';
import { Condition, ConditionNode, type StockCondition } from '../../../core/graph/nodes';

const base: ConditionContext = { now: 0, traits: { preferred_store: 'paris-01', fav: 'mug' }, consent: {}, offers: {}, messages: {}, events: [] };
const atMyStore: StockCondition = {
	kind: 'stock',
	sku: { from: 'entryProperty', path: 'product_id' },
	store: { from: 'trait', path: 'preferred_store' },
	minQuantity: 2
};

describe('stock condition', () => {
	it('is a condition rule kind with a SKU source, a store source and a whole minimum quantity', () => {
		expect(Condition.safeParse(atMyStore).success).toBe(true);
		expect(Condition.safeParse({ ...atMyStore, minQuantity: 0 }).success).toBe(false);
		expect(Condition.safeParse({ ...atMyStore, sku: { from: 'fixed', sku: ' ' } }).success).toBe(false);
		expect(Condition.safeParse({ ...atMyStore, store: { from: 'somewhere' } }).success).toBe(false);
	});

	it('resolves the store and SKU from traits, the entry event or fixed values, and nothing when one is missing', () => {
		const entry = { name: 'product_viewed', properties: { product_id: 'shirt' } };
		expect(stockTarget(atMyStore, base.traits, entry)).toEqual({ storeId: 'paris-01', sku: 'shirt' });
		expect(stockTarget(atMyStore, {}, entry)).toBeUndefined();
		expect(stockTarget(atMyStore, base.traits, { name: 'x', properties: {} })).toBeUndefined();
		expect(stockTarget({ ...atMyStore, sku: { from: 'trait', path: 'fav' }, store: { from: 'fixed', storeId: 'lyon-01' } }, base.traits)).toEqual({
			storeId: 'lyon-01',
			sku: 'mug'
		});
	});

	it('holds when the shelf has at least the minimum; an unknown shelf counts as empty', () => {
		const entryEvent = { name: 'product_viewed', properties: { product_id: 'shirt' } };
		expect(evaluateCondition(atMyStore, { ...base, entryEvent, stock: { [stockKey('paris-01', 'shirt')]: 2 } })).toBe(true);
		expect(evaluateCondition(atMyStore, { ...base, entryEvent, stock: { [stockKey('paris-01', 'shirt')]: 1 } })).toBe(false);
		expect(evaluateCondition(atMyStore, { ...base, entryEvent })).toBe(false);
	});

	it('asks the activity for the stock conditions, with entry-event SKUs already read', () => {
		const node = ConditionNode.parse({
			id: 'c',
			type: 'condition',
			branches: [{ id: 'b', label: 'In stock', match: 'any', conditions: [atMyStore, { kind: 'trait', path: 'vip', op: 'exists' }] }]
		});
		expect(conditionNeeds(node, { name: 'product_viewed', properties: { product_id: 'shirt' } }).stock).toEqual([
			{ ...atMyStore, sku: { from: 'fixed', sku: 'shirt' } }
		]);
		expect(conditionNeeds(node).stock).toBeUndefined(); // no SKU to look for
		const plain = ConditionNode.parse({
			id: 'c',
			type: 'condition',
			branches: [{ id: 'b', label: 'VIP', match: 'all', conditions: [{ kind: 'trait', path: 'vip', op: 'exists' }] }]
		});
		expect(conditionNeeds(plain)).not.toHaveProperty('stock');
	});
});
