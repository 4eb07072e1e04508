import { asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { products as productsTable } from '../db/schema/stock';

/** A SKU as shops write them: letters, digits and `-_.:/`, no spaces (it travels in event properties and URLs). */
export const Sku = z
	.string()
	.trim()
	.min(1, 'Enter a SKU.')
	.max(64, 'A SKU has at most 64 characters.')
	.regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'A SKU is letters, digits and . _ : / - (no spaces).');

/** One product of `PUT /api/v1/products`. `price` in the currency's major unit (59.90). */
export const ProductInput = z.object({
	sku: Sku,
	name: z.string().trim().min(1).max(200),
	price: z.number().min(0).max(1_000_000_000),
	currency: z
		.string()
		.trim()
		.regex(/^[A-Za-z]{3}$/, 'A currency is a 3-letter ISO code (EUR).')
		.transform((c) => c.toUpperCase()),
	imageUrl: z
		.url({ protocol: /^https?$/ })
		.max(2000)
		.nullish(),
	art: z.string().trim().max(40).nullish(),
	category: z.string().trim().max(100).nullish()
});
export type ProductInput = z.input<typeof ProductInput>;

export const MAX_PRODUCTS_PER_REQUEST = 1000;
export const ProductsInput = z.array(ProductInput).min(1).max(MAX_PRODUCTS_PER_REQUEST);

export type Product = { sku: string; name: string; price: number; currency: string; imageUrl: string | null; art: string | null; category: string | null };

function toProduct(row: typeof productsTable.$inferSelect): Product {
	return { sku: row.sku, name: row.name, price: Number(row.price), currency: row.currency, imageUrl: row.imageUrl, art: row.art, category: row.category };
}

/**
 * Inserts or updates products by SKU, all or none. Idempotent: the same list again changes nothing but
 * `updated_at`. A SKU given twice keeps its last entry, as a later line of a file would.
 */
export async function upsertProducts(db: Db, input: readonly z.output<typeof ProductInput>[], now = new Date()): Promise<{ upserted: number }> {
	const bySku = new Map(input.map((p) => [p.sku, p]));
	const rows = [...bySku.values()].map((p) => ({
		sku: p.sku,
		name: p.name,
		price: p.price.toFixed(2),
		currency: p.currency,
		imageUrl: p.imageUrl ?? null,
		art: p.art ?? null,
		category: p.category ?? null,
		updatedAt: now
	}));
	if (rows.length === 0) return { upserted: 0 };
	await db
		.insert(productsTable)
		.values(rows)
		.onConflictDoUpdate({
			target: productsTable.sku,
			set: {
				name: sql`excluded.name`,
				price: sql`excluded.price`,
				currency: sql`excluded.currency`,
				imageUrl: sql`excluded.image_url`,
				art: sql`excluded.art`,
				category: sql`excluded.category`,
				updatedAt: sql`excluded.updated_at`
			}
		});
	return { upserted: rows.length };
}

export async function listProducts(db: Db, opts: { skus?: readonly string[]; category?: string } = {}): Promise<Product[]> {
	if (opts.skus && opts.skus.length === 0) return [];
	const where = opts.skus ? inArray(productsTable.sku, [...opts.skus]) : opts.category ? eq(productsTable.category, opts.category) : undefined;
	return (await db.select().from(productsTable).where(where).orderBy(asc(productsTable.name))).map(toProduct);
}

export async function getProduct(db: Db, sku: string): Promise<Product | undefined> {
	const [row] = await db.select().from(productsTable).where(eq(productsTable.sku, sku));
	return row ? toProduct(row) : undefined;
}

/** Which of `skus` the catalogue knows. */
export async function knownSkus(db: Db, skus: readonly string[]): Promise<Set<string>> {
	if (skus.length === 0) return new Set();
	const rows = await db
		.select({ sku: productsTable.sku })
		.from(productsTable)
		.where(inArray(productsTable.sku, [...new Set(skus)]));
	return new Set(rows.map((r) => r.sku));
}
