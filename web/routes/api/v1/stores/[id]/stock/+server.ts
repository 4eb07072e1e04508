import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { getStore, setStock, Sku, stockAt, StockLines } from '$core/commerce/index';
import { ApiError, readValidBody, validQuery } from '$core/http/index';
import { database } from '$lib/server/context';
import { journeyApi } from '$lib/server/journeys-api';
import { notifyRouter } from '$lib/server/routing';
import type { RequestHandler } from './$types';

const Query = z.object({
	sku: z
		.string()
		.max(64 * 100)
		.optional()
});

/** The store's stock: every SKU loaded, or `?sku=a,b` (SKUs never loaded at this store answer quantity 0). */
export const GET: RequestHandler = ({ params, url, locals }) =>
	journeyApi(locals.principal, 'customers:read', async () => {
		const { db } = await database();
		const store = await getStore(db, params.id);
		if (!store) throw new ApiError(404, 'store_not_found', `There is no store ${params.id}.`);
		const { sku } = validQuery(url, Query);
		const skus = sku === undefined ? undefined : z.array(Sku).max(100).safeParse(sku.split(',').filter(Boolean));
		if (skus && !skus.success) throw new ApiError(400, 'invalid_request', 'sku is a comma-separated list of at most 100 SKUs.');
		const levels = await stockAt(db, store.id, skus?.data);
		const stock = skus ? skus.data.map((s) => levels.find((l) => l.sku === s) ?? { storeId: store.id, sku: s, quantity: 0, updatedAt: null }) : levels;
		return json({ store: { id: store.id, name: store.name }, stock });
	});

/**
 * Absolute quantities for this store: `[{ sku, quantity }, …]`, up to 5,000 lines, all or
 * none. Idempotent: sending the same body again changes nothing. A SKU going from 0 to more emits
 * `back_in_stock` to customers who recently viewed or wished for it. Admins and admin secret keys.
 */
export const PUT: RequestHandler = ({ params, request, locals }) =>
	journeyApi(locals.principal, 'settings:manage', async () => {
		const lines = await readValidBody(request, StockLines);
		const update = await setStock((await database()).db, params.id, lines);
		notifyRouter(update.eventIds);
		return json({ updated: update.updated, restocked: update.restocked, backInStockEvents: update.eventIds.length });
	});
