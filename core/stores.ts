import type { CountryCode } from 'libphonenumber-js';

/**
 * The shops where associates look customers up and redeem offers. A constant until there is a settings page for
 * them: journeys, offers (`storeScope`) and store tasks refer to stores by `id` only, so moving this list into
 * the database later changes nothing else. `country` is how the till reads a phone number typed without its
 * country code (`06 12 34 56 78` in Paris), and `timeZone` the clock its staff read times on.
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
