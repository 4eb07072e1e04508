import { eq } from 'drizzle-orm';
import type { Db } from '../../../core/db/client';
import { customers, identities } from '../../../core/db/schema/customers';
import { events } from '../../../core/db/schema/events';

/** A fixed clock for stories: `at(5)` is five minutes after the start, as ISO. */
export const T0 = Date.parse('2025-03-01T10:00:00.000Z');
export const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();
export const received = (minutes: number): { receivedAt: Date } => ({ receivedAt: new Date(T0 + minutes * 60_000) });

export async function liveCustomers(db: Db) {
	const rows = await db.select().from(customers);
	return rows.filter((c) => !c.mergedInto && !c.erasedAt);
}

export async function identitiesOf(db: Db, customerId: string): Promise<string[]> {
	const rows = await db.select().from(identities).where(eq(identities.customerId, customerId));
	return rows.map((r) => `${r.kind}:${r.value}`).sort();
}

export async function messageIdsOf(db: Db, customerId: string): Promise<string[]> {
	const rows = await db.select({ m: events.messageId }).from(events).where(eq(events.customerId, customerId));
	return rows.map((r) => r.m).sort();
}

/** Row counts of what ingest writes, to prove a failed call wrote nothing. */
export async function tableCounts(db: Db): Promise<{ customers: number; identities: number; events: number }> {
	const [c, i, e] = await Promise.all([db.$count(customers), db.$count(identities), db.$count(events)]);
	return { customers: c, identities: i, events: e };
}
