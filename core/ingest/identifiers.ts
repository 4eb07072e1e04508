import type { CountryCode } from 'libphonenumber-js';
import type { Identifier } from '../identity/identifier';
import { uniqueIdentifiers } from '../identity/identifier';
import { normalizeEmail, normalizeId, normalizePhone, regionFromLocale, toRegion } from '../identity/normalize';
import type { Message } from './schema';

type Traits = Record<string, unknown>;

/** Region for reading national phone numbers: the person's address, their device's locale, else US. */
export function phoneRegion(traits: Traits, locale: unknown): CountryCode {
	const address = traits.address;
	const addressCountry = typeof address === 'object' && address !== null ? (address as Traits).country : undefined;
	return toRegion(addressCountry) ?? toRegion(traits.country) ?? regionFromLocale(locale) ?? 'US';
}

/** Ad click ids in a URL or a query string (`?gclid=…&fbclid=…`). */
function clickIdsIn(urlOrQuery: unknown): Identifier[] {
	if (typeof urlOrQuery !== 'string' || urlOrQuery.length === 0) return [];
	const query = urlOrQuery.includes('?') ? urlOrQuery.slice(urlOrQuery.indexOf('?') + 1) : urlOrQuery;
	const params = new URLSearchParams(query.split('#')[0]);
	const found: Identifier[] = [];
	for (const kind of ['fbclid', 'gclid'] as const) {
		const value = normalizeId(params.get(kind));
		if (value) found.push({ kind, value });
	}
	return found;
}

/**
 * Every identifier a message carries, normalized: userId, anonymousId; e-mail, phone and loyalty id from the
 * person's traits (identify traits, or `context.traits` that browser libraries attach to every call); ad click
 * ids from `context.campaign`, the page URL or query. A group's traits describe the group, not the person.
 */
export function identifiersOf(m: Message): Identifier[] {
	const ids: Identifier[] = [];
	if (m.userId) ids.push({ kind: 'userId', value: m.userId });
	if (m.anonymousId) ids.push({ kind: 'anonymousId', value: m.anonymousId });
	const personTraits: Traits = { ...(m.context?.traits ?? {}), ...(m.type === 'identify' ? (m.traits ?? {}) : {}) };
	const email = normalizeEmail(personTraits.email);
	if (email) ids.push({ kind: 'email', value: email });
	const phone = normalizePhone(personTraits.phone, phoneRegion(personTraits, m.context?.locale));
	if (phone) ids.push({ kind: 'phone', value: phone });
	const loyalty = normalizeId(personTraits.loyaltyId ?? personTraits.loyalty_id);
	if (loyalty) ids.push({ kind: 'loyaltyId', value: loyalty });
	const campaign = m.context?.campaign;
	for (const kind of ['fbclid', 'gclid'] as const) {
		const value = normalizeId(campaign?.[kind]);
		if (value) ids.push({ kind, value });
	}
	ids.push(...clickIdsIn(m.context?.page?.url), ...clickIdsIn(m.context?.page?.search));
	if (m.type === 'page' || m.type === 'screen') ids.push(...clickIdsIn(m.properties?.url), ...clickIdsIn(m.properties?.search));
	return uniqueIdentifiers(ids);
}
