import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { listProducts, ProductsInput, Sku, stockOfSkus, upsertProducts } from '$core/commerce/index';
import { ApiError, readValidBody, validQuery } from '$core/http/index';
import { database } from '$lib/server/context';
import { journeyApi } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

const Query = z.object({
	sku: z
		.string()
		.max(64 * 100)
		.optional(),
	category: z.string().max(100).optional(),
	stock: z.enum(['true', 'false']).optional()
});

/** The catalogue, by name: `?sku=a,b` or `?category=`; `?stock=true` adds each product's stock per store. */
export const GET: RequestHandler = ({ url, locals }) =>
	journeyApi(locals.principal, 'customers:read', async () => {
		const { db } = await database();
		const q = validQuery(url, Query);
		const skus = q.sku === undefined ? undefined : z.array(Sku).max(100).safeParse(q.sku.split(',').filter(Boolean));
		if (skus && !skus.success) throw new ApiError(400, 'invalid_request', 'sku is a comma-separated list of at most 100 SKUs.');
		const products = await listProducts(db, { skus: skus?.data, category: q.category });
		if (q.stock !== 'true') return json({ products });
		const levels = await stockOfSkus(
			db,
			products.map((p) => p.sku)
		);
		return json({
			products: products.map((p) => ({
				...p,
				stock: levels.filter((l) => l.sku === p.sku).map(({ storeId, quantity, updatedAt }) => ({ storeId, quantity, updatedAt }))
			}))
		});
	});

/** Inserts or updates products by SKU: `[{ sku, name, price, currency, imageUrl?, art?, category? }, …]`, up to 1,000. */
export const PUT: RequestHandler = ({ request, locals }) =>
	journeyApi(locals.principal, 'settings:manage', async () => {
		const products = await readValidBody(request, ProductsInput);
		const result = await upsertProducts((await database()).db, products);
		return json(result);
	});
