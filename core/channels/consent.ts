import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers, suppressions, type ConsentChannel, type SuppressionChannel } from '../db/schema/customers';
import { survivorOf } from '../identity/lookup';
import { rowsOf, sized } from '../db/rows';
import type { Recipient } from './recipients';
import { keyedHash, privacyHashKey } from '../privacy/keyed-hash';

/** `outside_24h_window`: a WhatsApp step without a template, for a customer who has not written in 24 h. */
export type SkipReason = 'no_customer' | 'erased' | 'no_address' | 'no_consent' | 'suppressed' | 'frequency_cap' | 'outside_24h_window';

/**
 * `opt-out` (default): send unless the customer said no on this channel. `opt-in`: send only after an
 * explicit yes (e.g. marketing SMS where the law asks for prior consent). Transactional messages (order
 * ready) skip the consent check but never a suppression: a STOP or a bounce always wins.
 */
export type ConsentPolicy = 'opt-in' | 'opt-out';
export type Purpose = 'marketing' | 'transactional';

export function consentAllows(recipient: Recipient, channel: ConsentChannel, policy: ConsentPolicy, purpose: Purpose): boolean {
	if (purpose === 'transactional') return true;
	const state = recipient.consent[channel];
	return policy === 'opt-in' ? state?.granted === true : state?.granted !== false;
}

/** The forms an address is stored in: clear, and keyed-hashed once its owner was erased (core/identity/erase.ts). */
export function storedForms(channel: SuppressionChannel, address: string): string[] {
	const key = privacyHashKey();
	return key ? [address, keyedHash(key, channel, address)] : [address];
}

export async function isSuppressed(db: Db, channel: SuppressionChannel, address: string): Promise<boolean> {
	const [suppressed] = await suppressedAmong(db, [{ channel, address }]);
	return suppressed!;
}

/** isSuppressed for many addresses in one statement (the worker's sends in flight, core/channels/send-store.ts). */
export async function suppressedAmong(db: Db, items: readonly { channel: SuppressionChannel; address: string }[]): Promise<boolean[]> {
	const forms = items.map(({ channel, address }) => storedForms(channel, address).map((value) => [channel, value] as const));
	const pairs = forms.flat();
	const rows = rowsOf<{ channel: string; value: string }>(
		await db.execute(sql`
			select s.channel, s.value from ${suppressions} s
			where (s.channel, s.value) in (select f.x->>0, f.x->>1 from ${sized(sql`jsonb_array_elements(${JSON.stringify(pairs)}::jsonb) as e(x)`, pairs.length)} as f)`)
	);
	const found = new Set(rows.map((r) => `${r.channel}\n${r.value}`));
	return forms.map((pairs) => pairs.some(([channel, value]) => found.has(`${channel}\n${value}`)));
}

export async function suppress(db: Db, channel: SuppressionChannel, address: string, reason: string, at: Date): Promise<void> {
	await db.insert(suppressions).values({ channel, value: address, reason, createdAt: at }).onConflictDoNothing();
}

export async function unsuppress(db: Db, channel: SuppressionChannel, address: string): Promise<void> {
	await db.delete(suppressions).where(and(eq(suppressions.channel, channel), inArray(suppressions.value, storedForms(channel, address))));
}

/** Records the customer's yes or no on one channel (on the surviving profile), keeping the other channels. */
export async function setConsent(db: Db, customerId: string, channel: ConsentChannel, granted: boolean, source: string, at: Date): Promise<void> {
	const id = (await survivorOf(db, customerId)) ?? customerId;
	const state = JSON.stringify({ granted, source, at: at.toISOString() });
	await db
		.update(customers)
		.set({ consent: sql`${customers.consent} || jsonb_build_object(${channel}::text, ${state}::jsonb)` })
		.where(eq(customers.id, id));
}
