import type { Cookies } from '@sveltejs/kit';
import { listStores, stockOfSkus, storeById, type Store } from '$core/commerce/index';
import { database } from '$lib/server/context';

/**
 * The visitor's store, as the shop remembers it: a first-party cookie (the shop's session) — the same choice is
 * also sent to Omnicanal as the trait `preferred_store`, which journeys and the till read.
 */
const STORE_COOKIE = 'oc_shop_store';

export type ShopStore = Pick<Store, 'id' | 'name' | 'city'>;
export type ShelfStock = { store: ShopStore; quantity: number };

export function chosenStoreId(cookies: Cookies): string | null {
	return cookies.get(STORE_COOKIE) ?? null;
}

export function rememberStore(cookies: Cookies, storeId: string, url: URL): void {
	cookies.set(STORE_COOKIE, storeId, { path: '/shop', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: 365 * 24 * 3600 });
}

export async function shopStores(): Promise<ShopStore[]> {
	return (await listStores((await database()).db)).map(({ id, name, city }) => ({ id, name, city }));
}

/**
 * Stock of one product in every store, read with the stock API's own function (GET /api/v1/products?stock=true
 * answers the same). `known` is false when Omnicanal has no stock for this SKU at all: say so rather than "0 left".
 */
export async function shelfStock(sku: string, stores: readonly ShopStore[]): Promise<{ known: boolean; shelves: ShelfStock[] }> {
	const levels = await stockOfSkus((await database()).db, [sku]);
	const shelves = stores.map((store) => ({ store, quantity: levels.find((l) => l.storeId === store.id)?.quantity ?? 0 }));
	return { known: levels.length > 0, shelves };
}

export { storeById };
