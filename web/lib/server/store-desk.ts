import { inArray } from 'drizzle-orm';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Db } from '$core/db/client';
import { customers } from '$core/db/schema/customers';
import { listStoreTasks, type StoreTaskView } from '$core/channels/store-tasks';
import { customerDetail, customerLookup, survivorOf, type EnrollmentSummary, type TimelineItem } from '$core/identity/index';
import { findOffer, toOfferView, type OfferView } from '$core/offers/index';
import type { Store } from '$core/commerce/stores';

/*
 * What the store page (the associate's till) reads: who is this customer, what happened online, which offers
 * can be redeemed. Everything comes from the same core functions as the customer pages and the offers API, so
 * the till and the web cart can never disagree about an offer.
 */

export type MatchedBy = 'offer code' | 'e-mail' | 'phone' | 'loyalty id' | 'customer id';
export type StoreMatch = { customerId: string; by: MatchedBy; code?: string };

/**
 * One search box for everything an associate has at hand: a phone number (national numbers read in the store's
 * country), an e-mail, a loyalty card, or an offer code typed or scanned from the QR code (scanners type what
 * they read, then Enter). The code is tried first because it names exactly one offer, hence one customer.
 */
export async function findStoreCustomer(db: Db, raw: string, store: Store): Promise<StoreMatch | null> {
	const q = raw.trim();
	if (!q) return null;
	const offer = await findOffer(db, q, new Date());
	const owner = offer ? await survivorOf(db, offer.customerId) : null;
	if (offer && owner) return { customerId: owner, by: 'offer code', code: offer.code };
	const tries: Array<[MatchedBy, Parameters<typeof customerLookup>[1]]> = [
		['e-mail', { email: q }],
		['phone', { phone: q, region: store.country }],
		['loyalty id', { loyaltyId: q }]
	];
	for (const [by, query] of tries) {
		const found = await customerLookup(db, query);
		if (found) return { customerId: found.id, by };
	}
	return null;
}

export type StoreCustomer = {
	id: string;
	name: string | null;
	email: string | null;
	phone: string | null;
	loyaltyId: string | null;
	preferredStore: string | null;
	/** Usable offers first (soonest to expire), then the others, newest first: the till shows why one cannot be used. */
	offers: OfferView[];
	/** Journeys the customer is in right now. */
	journeys: EnrollmentSummary[];
	timeline: TimelineItem[];
	openTasks: StoreTaskView[];
};

const formatPhone = (e164: string | null) => (e164 ? (parsePhoneNumberFromString(e164)?.formatInternational() ?? e164) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

function nameOf(traits: Record<string, unknown>): string | null {
	const full = [str(traits.firstName) ?? str(traits.first_name), str(traits.lastName) ?? str(traits.last_name)].filter(Boolean).join(' ');
	return str(traits.name) ?? (full || null);
}

export async function storeCustomer(db: Db, customerId: string, now = new Date()): Promise<StoreCustomer | null> {
	// The till redeems: it sees whole codes (core/offers/view.ts).
	// Enough history to fold (repeated views, conversations); StoreTimeline shows it a page at a time.
	const detail = await customerDetail(db, customerId, { timelineLimit: 200, fullCodes: true });
	if (!detail) return null;
	const first = (kind: string) => detail.identities.find((i) => i.kind === kind)?.value ?? null;
	const views = detail.offers.map((o) => toOfferView(o, now));
	const usable = views.filter((o) => o.status === 'active').sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
	const others = views.filter((o) => o.status !== 'active');
	return {
		id: detail.customer.id,
		name: nameOf(detail.customer.traits),
		email: first('email'),
		// Read back the way people say it (+33 6 12 34 56 78), not as stored (E.164).
		phone: formatPhone(first('phone')),
		loyaltyId: first('loyaltyId'),
		preferredStore: str(detail.customer.traits.preferred_store) ?? str(detail.customer.traits.store_id),
		offers: [...usable, ...others.slice(0, 5)],
		journeys: detail.enrollments.filter((e) => e.status === 'active'),
		timeline: detail.timeline,
		openTasks: await listStoreTasks(db, { customerId: detail.customer.id, status: 'open', limit: 20 })
	};
}

export type StoreTaskRow = StoreTaskView & { customerName: string | null };

/** The store's open tasks (and those for every store), with who they are about, in one extra query. */
export async function openTasksAt(db: Db, store: Store): Promise<StoreTaskRow[]> {
	const tasks = await listStoreTasks(db, { storeId: store.id, status: 'open', limit: 50 });
	const ids = [...new Set(tasks.map((t) => t.customerId))];
	const people = ids.length ? await db.select({ id: customers.id, traits: customers.traits }).from(customers).where(inArray(customers.id, ids)) : [];
	const names = new Map(people.map((p) => [p.id, nameOf(p.traits) ?? str(p.traits.email)]));
	return tasks.map((t) => ({ ...t, customerName: names.get(t.customerId) ?? null }));
}
