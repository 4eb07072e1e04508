import type { CountryCode } from 'libphonenumber-js';

/**
 * The four stores every database starts with (migration 0011 seeds them). Stores live in the database now: the
 * till, the shop, stock and the APIs read them with `listStores`/`getStore` from core/commerce/stores.ts. This
 * list remains only for the journey builder's store pickers, which run in the browser without the database: a
 * store added later does not show in them until the builder loads `GET /api/v1/stores` (not done yet).
 */
export type Store = { id: string; name: string; city: string; country: CountryCode; timeZone: string };

export const stores: readonly Store[] = [
	{ id: 'paris-01', name: 'Paris Marais', city: 'Paris', country: 'FR', timeZone: 'Europe/Paris' },
	{ id: 'lyon-01', name: 'Lyon Presqu’île', city: 'Lyon', country: 'FR', timeZone: 'Europe/Paris' },
	{ id: 'bordeaux-01', name: 'Bordeaux Chartrons', city: 'Bordeaux', country: 'FR', timeZone: 'Europe/Paris' },
	{ id: 'brussels-01', name: 'Bruxelles Sablon', city: 'Brussels', country: 'BE', timeZone: 'Europe/Brussels' }
];

export function storeById(id: string | null | undefined): Store | undefined {
	return id ? stores.find((s) => s.id === id) : undefined;
}
