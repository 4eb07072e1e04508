import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers } from '../db/schema/customers';
import type { JourneyEvent } from '../enrollment/contract';
import { getPath } from '../graph/match';
import type { StoreScope } from '../graph/nodes/actions';
import { survivorOf } from '../identity/lookup';
import { getStore } from './stores';

const idText = (v: unknown): string | undefined =>
	typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;

/** The store a customer calls theirs: the `preferred_store` (or `store_id`) trait; follows merges. */
export async function preferredStoreOf(db: Db, customerId: string): Promise<string | undefined> {
	const id = (await survivorOf(db, customerId)) ?? customerId;
	const [row] = await db.select({ traits: customers.traits }).from(customers).where(eq(customers.id, id));
	return idText(row?.traits.preferred_store) ?? idText(row?.traits.store_id);
}

/**
 * The store a step acts at (a store task's list): the fixed one, the customer's preferred one, or the one the entry
 * event names (an order's pickup store). A named store that does not exist counts as none, so the task lands at
 * `fallbackStoreId` (or on every store's list when there is none) rather than on a list nobody opens.
 */
export async function storeForStep(db: Db, scope: StoreScope, customerId: string, entryEvent?: JourneyEvent): Promise<string | undefined> {
	if (scope.kind === 'fixed') return scope.storeId;
	const named = scope.kind === 'event' ? idText(getPath(entryEvent?.properties, scope.property)) : await preferredStoreOf(db, customerId);
	if (named && (await getStore(db, named))) return named;
	return scope.fallbackStoreId;
}
