import { asc, eq } from 'drizzle-orm';
import type { CountryCode } from 'libphonenumber-js';
import type { Db } from '../db/client';
import { stores as storesTable, type OpeningHours } from '../db/schema/stock';

/**
 * A store as every reader sees it (the till, offers' `storeScope`, store tasks, stock). Stores live in the
 * database; `country` is how the till reads a phone number typed without its country code, `timeZone` the clock
 * its staff read times on.
 */
export type Store = {
	id: string;
	name: string;
	address: string;
	city: string;
	country: CountryCode;
	timeZone: string;
	openingHours: OpeningHours;
};

export type { OpeningHours };

function toStore(row: typeof storesTable.$inferSelect): Store {
	return {
		id: row.id,
		name: row.name,
		address: row.address,
		city: row.city,
		country: row.country as CountryCode,
		timeZone: row.timeZone,
		openingHours: row.openingHours
	};
}

/** Every store, in picker order. A handful of rows: callers load them once per request and look up in the list. */
export async function listStores(db: Db): Promise<Store[]> {
	return (await db.select().from(storesTable).orderBy(asc(storesTable.position), asc(storesTable.name))).map(toStore);
}

export async function getStore(db: Db, id: string | null | undefined): Promise<Store | undefined> {
	if (!id) return undefined;
	const [row] = await db.select().from(storesTable).where(eq(storesTable.id, id));
	return row ? toStore(row) : undefined;
}

/** A store out of a list already loaded (pages pass the list to their components). */
export function storeById<S extends { id: string }>(stores: readonly S[], id: string | null | undefined): S | undefined {
	return id ? stores.find((s) => s.id === id) : undefined;
}
