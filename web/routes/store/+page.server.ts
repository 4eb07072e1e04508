import { randomUUID } from 'node:crypto';
import { survivorOf } from '$core/identity/index';
import { listStores, storeById, type Store } from '$core/commerce/index';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { findStoreCustomer, openTasksAt, storeCustomer, type StoreMatch } from '$lib/server/store-desk';
import { pickupsAt } from '$core/commerce/pickups';
import { storeActions } from './actions.server';
import { tillActions } from './till.server';
import { canUploadStock } from './stock-upload.server';
import { error, type Cookies } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The till remembers which store it stands in, so the associate picks it once. */
const STORE_COOKIE = 'oc_store';

function currentStore(url: URL, cookies: Cookies, stores: Store[]): Store | undefined {
	const chosen = storeById(stores, url.searchParams.get('store'));
	if (chosen)
		cookies.set(STORE_COOKIE, chosen.id, { path: '/store', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: 365 * 24 * 3600 });
	return chosen ?? storeById(stores, cookies.get(STORE_COOKIE)) ?? stores[0];
}

export const load = (async ({ locals, url, cookies }) => {
	requirePage(locals.principal, 'store:work');
	const { db } = await database();
	const stores = await listStores(db);
	const store = currentStore(url, cookies, stores);
	if (!store) error(503, 'No store is set up yet: load stores first.');
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 320);
	const customerParam = url.searchParams.get('customer');
	let match: StoreMatch | null = null;
	if (customerParam) {
		const live = await survivorOf(db, customerParam);
		match = live ? { customerId: live, by: 'customer id' } : null;
	} else if (q) {
		match = await findStoreCustomer(db, q, store);
	}
	const customer = match ? await storeCustomer(db, match.customerId) : null;
	// A fresh Idempotency-Key per rendered Redeem button: a double click or a resent form replays the first answer
	// instead of redeeming twice; a new attempt (after the page reloads) is a new key and gets a fresh verdict.
	const redeemKeys: Record<string, string> = {};
	for (const o of customer?.offers ?? []) if (o.status === 'active') redeemKeys[o.code] = randomUUID();
	return {
		stores,
		store,
		canUploadStock: canUploadStock(locals.principal),
		q,
		searched: q !== '' || customerParam !== null,
		match,
		customer,
		redeemKeys,
		tasks: await openTasksAt(db, store),
		pickups: await pickupsAt(db, store.id)
	};
}) satisfies PageServerLoad;

export const actions = { ...storeActions, ...tillActions };
