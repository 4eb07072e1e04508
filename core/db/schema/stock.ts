import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Opening hours per weekday (`mon`…`sun`), each a list of `HH:MM-HH:MM` ranges in the store's time zone. */
export type OpeningHours = Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', string[]>>;

/**
 * The shops where associates look customers up, redeem offers and hold stock. Journeys, offers (`storeScope`),
 * store tasks and stock refer to a store by `id`. `country` reads a phone number typed at the till without its
 * country code; `timeZone` is the clock its staff read times on.
 */
export const stores = pgTable('stores', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	address: text('address').notNull().default(''),
	city: text('city').notNull(),
	/** ISO 3166-1 alpha-2. */
	country: text('country').notNull(),
	timeZone: text('time_zone').notNull(),
	openingHours: jsonb('opening_hours').$type<OpeningHours>().notNull().default({}),
	/** Order in pickers; the first is a new till's store until the associate picks theirs. */
	position: integer('position').notNull().default(0),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * The catalogue Omnicanal knows: what stock, offers' product scope and the back-in-stock trigger name by `sku`.
 * The shop remains the owner of its products; it loads them here with `PUT /api/v1/products`.
 */
export const products = pgTable(
	'products',
	{
		sku: text('sku').primaryKey(),
		name: text('name').notNull(),
		price: numeric('price', { precision: 12, scale: 2 }).notNull(),
		currency: text('currency').notNull(),
		imageUrl: text('image_url'),
		/** A drawn stand-in for a photo (the demo shop's `ProductArt`), when there is no image URL. */
		art: text('art'),
		category: text('category'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('products_category_idx').on(t.category)]
);

/**
 * How many of a SKU a store has on its shelf. `restockedAt` is when it last went from none to some: it names
 * that restock, so the back-in-stock events it causes are deduplicated per customer, SKU and restock.
 */
export const stock = pgTable(
	'stock',
	{
		storeId: text('store_id').notNull(),
		sku: text('sku').notNull(),
		quantity: integer('quantity').notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		restockedAt: timestamp('restocked_at', { withTimezone: true })
	},
	(t) => [
		primaryKey({ name: 'stock_pk', columns: [t.storeId, t.sku] }),
		// "Which stores have this SKU": the shop's product page and the store page's lookup.
		index('stock_sku_idx').on(t.sku),
		check('stock_quantity_nonnegative', sql`${t.quantity} >= 0`),
		foreignKey({ name: 'stock_store_fk', columns: [t.storeId], foreignColumns: [stores.id] }).onDelete('cascade'),
		foreignKey({ name: 'stock_product_fk', columns: [t.sku], foreignColumns: [products.sku] }).onDelete('cascade')
	]
);

export type StoreRow = typeof stores.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type StockRow = typeof stock.$inferSelect;
