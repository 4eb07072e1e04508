import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setStock, upsertProducts } from '../../core/commerce/index';
import type { DbHandle } from '../../core/db/client';
import { enrollments } from '../../core/db/schema/journeys';
import { offers } from '../../core/db/schema/offers';
import type { JourneyResult } from '../../core/enrollment/contract';
import type { JourneyDefinition, StockCondition } from '../../core/graph/index';
import { enrol, routeEvents, type Router } from '../../core/routing/index';
import { freshDb } from '../helpers/db';
import { insertCustomer, journeyWorker, publishTestJourney, storeEvent, testRouter } from '../helpers/journeys';
import { createTimeSkippingEnv } from '../helpers/temporal';

/**
 * Stock in journeys, with the real activities and database: the "in stock at the customer's store" condition
 * (SKU from the entry event, a trait or fixed; store from a trait or fixed; minimum quantity), and a restock that
 * emits back_in_stock to whoever viewed the SKU, which starts a journey through the router.
 */
describe('stock in journeys (time-skipping)', () => {
	let env: TestWorkflowEnvironment;
	let db: DbHandle;
	let worker: Worker;
	let router: Router;
	let running: Promise<void>;
	const taskQueue = `stock-${randomUUID()}`;

	beforeAll(async () => {
		[env, db] = await Promise.all([createTimeSkippingEnv(), freshDb('pglite')]);
		worker = await journeyWorker(env.nativeConnection, db, taskQueue);
		running = worker.run();
		router = testRouter(db, env.client, taskQueue);
		await upsertProducts(db.db, [
			{ sku: 'shirt', name: 'Linen shirt', price: 59, currency: 'EUR' },
			{ sku: 'mug', name: 'Mug', price: 18, currency: 'EUR' }
		]);
		await setStock(db.db, 'paris-01', [
			{ sku: 'shirt', quantity: 3 },
			{ sku: 'mug', quantity: 1 }
		]);
		await setStock(db.db, 'lyon-01', [{ sku: 'shirt', quantity: 1 }]);
	});
	afterAll(async () => {
		worker?.shutdown();
		await running;
		await env?.teardown();
		await db?.close();
	});

	/** trigger → condition(in stock?) → exit `in` | exit `out`. */
	function stockJourney(trigger: JourneyDefinition['nodes'][number], condition: StockCondition): JourneyDefinition {
		return {
			schemaVersion: 1,
			nodes: [
				trigger,
				{ id: 'shelf', type: 'condition', branches: [{ id: 'yes', label: 'In stock', match: 'all', conditions: [condition] }] },
				{ id: 'in', type: 'exit' },
				{ id: 'out', type: 'exit' }
			],
			edges: [
				{ id: '1', source: trigger.id, target: 'shelf' },
				{ id: '2', source: 'shelf', sourceHandle: 'yes', target: 'in' },
				{ id: '3', source: 'shelf', sourceHandle: 'else', target: 'out' }
			],
			settings: { reentry: { mode: 'never' }, exitCriteria: [] }
		};
	}

	async function endOf(def: JourneyDefinition, customerId: string, props: Record<string, unknown>): Promise<string> {
		const live = await publishTestJourney(db, def);
		const result = await enrol(router, live, customerId, { id: `entry-${randomUUID()}`, name: 'product_viewed', properties: props, timestamp: Date.now() });
		if (!result.enrolled) throw new Error(`not enrolled: ${result.reason}`);
		const done: JourneyResult = await env.client.workflow.getHandle(result.enrollmentId).result();
		return done.path.at(-1)!.nodeId;
	}

	it('branches on the SKU of the entry event at the store in the customer’s trait, with a minimum quantity', async () => {
		const viewed = { id: 'trigger', type: 'trigger' as const, entry: { kind: 'event' as const, event: 'product_viewed' } };
		const atMyStore: StockCondition = {
			kind: 'stock',
			sku: { from: 'entryProperty', path: 'product_id' },
			store: { from: 'trait', path: 'preferred_store' },
			minQuantity: 2
		};
		const parisian = await insertCustomer(db, { traits: { preferred_store: 'paris-01' } });
		const lyonnais = await insertCustomer(db, { traits: { preferred_store: 'lyon-01' } });
		const nowhere = await insertCustomer(db);
		// One result() at a time on the time-skipping server.
		expect(await endOf(stockJourney(viewed, atMyStore), parisian, { product_id: 'shirt' })).toBe('in'); // 3 ≥ 2
		expect(await endOf(stockJourney(viewed, atMyStore), lyonnais, { product_id: 'shirt' })).toBe('out'); // 1 < 2
		expect(await endOf(stockJourney(viewed, atMyStore), nowhere, { product_id: 'shirt' })).toBe('out'); // no store
		expect(await endOf(stockJourney(viewed, atMyStore), parisian, { product_id: 'never-stocked' })).toBe('out');
		expect(await endOf(stockJourney(viewed, atMyStore), parisian, {})).toBe('out'); // no SKU

		const fixed: StockCondition = { kind: 'stock', sku: { from: 'fixed', sku: 'mug' }, store: { from: 'fixed', storeId: 'paris-01' }, minQuantity: 1 };
		expect(await endOf(stockJourney(viewed, fixed), nowhere, {})).toBe('in');
		const byTrait: StockCondition = {
			kind: 'stock',
			sku: { from: 'trait', path: 'wish.sku' },
			store: { from: 'trait', path: 'preferred_store' },
			minQuantity: 1
		};
		const wisher = await insertCustomer(db, { traits: { preferred_store: 'lyon-01', wish: { sku: 'mug' } } });
		expect(await endOf(stockJourney(viewed, byTrait), wisher, {})).toBe('out'); // no mugs in Lyon
	});

	it('grants an offer naming only the scoped products on the customer’s shelf, and skips it when none are', async () => {
		const manual = { id: 'trigger', type: 'trigger' as const, entry: { kind: 'manual' as const } };
		const def: JourneyDefinition = {
			schemaVersion: 1,
			nodes: [
				manual,
				{
					id: 'offer',
					type: 'grantOffer',
					title: '10% off what your store has',
					kind: 'percent',
					value: 10,
					productScope: ['shirt', 'mug'],
					inStockAt: { from: 'trait', path: 'preferred_store' },
					validFor: { amount: 7, unit: 'days' }
				},
				{ id: 'end', type: 'exit' }
			],
			edges: [
				{ id: '1', source: 'trigger', target: 'offer' },
				{ id: '2', source: 'offer', target: 'end' }
			],
			settings: { reentry: { mode: 'never' }, exitCriteria: [] }
		};
		const parisian = await insertCustomer(db, { traits: { preferred_store: 'paris-01' } }); // shirt 3, mug 1
		const lyonnais = await insertCustomer(db, { traits: { preferred_store: 'lyon-01' } }); // shirt 1
		const brussels = await insertCustomer(db, { traits: { preferred_store: 'brussels-01' } }); // nothing
		for (const c of [parisian, lyonnais, brussels]) expect(await endOf(def, c, {})).toBe('end');
		const scopes = await Promise.all(
			[parisian, lyonnais, brussels].map(async (c) => (await db.db.select().from(offers).where(eq(offers.customerId, c)))[0]?.productScope ?? null)
		);
		expect(scopes).toEqual([['shirt', 'mug'], ['shirt'], null]);
	});

	it('a restock emits back_in_stock to the customers who viewed the SKU, and that event starts the journey', async () => {
		const backInStock = { id: 'trigger', type: 'trigger' as const, entry: { kind: 'event' as const, event: 'back_in_stock' } };
		// Back in stock at my store? (The event names the store that restocked; the condition checks the customer's.)
		const live = await publishTestJourney(
			db,
			stockJourney(backInStock, {
				kind: 'stock',
				sku: { from: 'entryProperty', path: 'sku' },
				store: { from: 'trait', path: 'preferred_store' },
				minQuantity: 1
			}),
			'Back in stock'
		);
		const fan = await insertCustomer(db, { traits: { preferred_store: 'bordeaux-01' } });
		const bystander = await insertCustomer(db, { traits: { preferred_store: 'bordeaux-01' } });
		await storeEvent(db, fan, 'product_viewed', { product_id: 'mug' });
		await storeEvent(db, bystander, 'product_viewed', { product_id: 'shirt' });

		await setStock(db.db, 'bordeaux-01', [{ sku: 'mug', quantity: 0 }]);
		const restock = await setStock(db.db, 'bordeaux-01', [{ sku: 'mug', quantity: 4 }]);
		expect(restock.eventIds).toHaveLength(1);
		expect((await routeEvents(router, restock.eventIds)).routed).toBe(1);

		const enrolled = await db.db
			.select()
			.from(enrollments)
			.where(and(eq(enrollments.journeyId, live.journeyId)));
		expect(enrolled.map((e) => e.customerId)).toEqual([fan]);
		const done: JourneyResult = await env.client.workflow.getHandle(enrolled[0]!.id).result();
		expect(done.path.at(-1)!.nodeId).toBe('in');
	});
});
