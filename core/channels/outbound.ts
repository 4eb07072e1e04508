import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { insertRowsReturning, typedRows } from '../db/json-rows';
import { rowsOf, sized } from '../db/rows';
import { messages, type Channel, type Message, type MessageStatus } from '../db/schema/messages';
import { TransientChannelError } from './errors';
import type { SkipReason } from './consent';
import type { ProviderReceipt } from './types';
import { isCapExempt } from './caps';

/**
 * The `messages` row is the send's ledger: written first (unique idempotency key), claimed by one attempt at
 * a time, then finished as sent / skipped / failed. A retried activity finds the finished row and answers it.
 */
export type SendResult = {
	messageId: string;
	channel: Channel;
	provider: string;
	status: MessageStatus;
	/** True when an earlier attempt had already finished this send (nothing was sent now). */
	replayed: boolean;
} & (
	| { outcome: 'sent'; providerMessageId: string | null }
	| { outcome: 'skipped'; reason: SkipReason }
	| { outcome: 'failed'; error: { code: string; message: string } }
	/** An attempt may have been sent and the provider could not say: marked for a person, never re-sent blind. */
	| { outcome: 'unknown'; reason: string }
	/** Not yet: a frequency cap the step waits out, or the send rate's queue. Try again at `until` (row stays pending). */
	| { outcome: 'held'; until: Date; reason: 'frequency_cap' | 'queued' }
);

/** The attempt recorded on a row before its provider call; present while that call's outcome is unknown. */
export type DispatchMark = { at: string; attempt: number };

export function dispatchOf(row: Message): DispatchMark | null {
	const mark = row.meta.dispatch as DispatchMark | undefined | null;
	return mark && typeof mark.at === 'string' ? mark : null;
}

/** Longer than any provider timeout: an attempt that dies mid-send frees the row for the next after this. */
const LEASE_MS = 2 * 60_000;

export function resultFromRow(row: Message, replayed: boolean): SendResult {
	const base = { messageId: row.id, channel: row.channel, provider: row.provider, status: row.status, replayed };
	if (row.status === 'unknown') return { ...base, outcome: 'unknown', reason: row.error ?? 'outcome unknown' };
	if (row.status === 'skipped') return { ...base, outcome: 'skipped', reason: (row.error ?? 'suppressed') as SkipReason };
	if (row.status === 'failed' && row.sentAt === null) {
		const code = typeof row.meta.errorCode === 'string' ? row.meta.errorCode : 'failed';
		return { ...base, outcome: 'failed', error: { code, message: row.error ?? 'failed' } };
	}
	return { ...base, outcome: 'sent', providerMessageId: row.providerMessageId };
}

export async function messageByKey(db: Db, key: string): Promise<Message | undefined> {
	const [row] = await db.select().from(messages).where(eq(messages.idempotencyKey, key));
	return row;
}

/** Inserts the drafted row, or answers the one a concurrent attempt inserted under the same key. */
export async function insertOrGet(db: Db, values: typeof messages.$inferInsert): Promise<{ row: Message; inserted: boolean }> {
	const [result] = await insertOrGetMany(db, [values]);
	if (result!.status === 'rejected') throw result!.reason;
	return result!.value;
}

/**
 * insertOrGet for many drafts in one statement (the worker's sends in flight, core/channels/send-store.ts): each
 * answered with its row, or with the row an earlier attempt stored under its key (a retry; or the same key twice in
 * the batch, an attempt beside its retry).
 */
export async function insertOrGetMany(
	db: Db,
	drafts: readonly (typeof messages.$inferInsert)[]
): Promise<PromiseSettledResult<{ row: Message; inserted: boolean }>[]> {
	const rows = await insertRowsReturning(db, messages, drafts, { onConflict: sql`(idempotency_key) do nothing` });
	const byKey = new Map(rows.map((r) => [r.idempotencyKey, r]));
	return Promise.allSettled(
		drafts.map(async (draft) => {
			const row = byKey.get(draft.idempotencyKey);
			if (row) {
				byKey.delete(draft.idempotencyKey);
				return { row, inserted: true };
			}
			const existing = await messageByKey(db, draft.idempotencyKey);
			if (!existing) throw new Error(`message ${draft.idempotencyKey} vanished after a conflicting insert`);
			return { row: existing, inserted: false };
		})
	);
}

/** The columns of a row this attempt holds: a fresh draft is stored already claimed (core/channels/send.ts). */
export function claimedBy(now: Date): { lockedUntil: Date; attempts: number } {
	return { lockedUntil: new Date(now.getTime() + LEASE_MS), attempts: 1 };
}

/** Takes the row for this attempt, or throws a retryable error while another attempt holds it. */
export async function claim(db: Db, row: Message, now: Date): Promise<Message | { finished: Message }> {
	const [claimed] = await db
		.update(messages)
		.set({ lockedUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${messages.attempts} + 1`, updatedAt: now })
		.where(and(eq(messages.id, row.id), eq(messages.status, 'pending'), or(isNull(messages.lockedUntil), lt(messages.lockedUntil, now))))
		.returning();
	if (claimed) return claimed;
	const [current] = await db.select().from(messages).where(eq(messages.id, row.id));
	if (current && current.status !== 'pending') return { finished: current };
	throw new TransientChannelError('another attempt is sending this message', { provider: row.provider, code: 'in_flight' });
}

/** Keeps a status a webhook already advanced (a Twilio callback can beat our own update). */
export async function markSent(db: Db, id: string, receipt: ProviderReceipt, now: Date): Promise<Message> {
	const row = (await markSentMany(db, [{ id, receipt, now }])).get(id);
	if (!row) throw new Error(`message ${id} not found to mark sent`);
	return row;
}

/** markSent for many messages in one statement (the worker's sends in flight); the rows by id. */
export async function markSentMany(db: Db, items: readonly { id: string; receipt: ProviderReceipt; now: Date }[]): Promise<Map<string, Message>> {
	const input = items.map(({ id, receipt, now }) => ({
		id,
		status: receipt.status,
		provider_message_id: receipt.providerMessageId,
		at: now.toISOString(),
		meta: receipt.meta ?? {}
	}));
	const rows = await db.execute(sql`
		update ${messages} m set
			status = case when m.status = 'pending' then x.status else m.status end,
			provider_message_id = x.provider_message_id, sent_at = x.at, locked_until = null, error = null,
			meta = (m.meta - 'dispatch') || x.meta, updated_at = x.at
		from ${sized(sql`jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as x(id text, status text, provider_message_id text, at timestamptz, meta jsonb)`, input.length)} as x
		where m.id = x.id
		returning m.*`);
	return new Map(typedRows(messages, rowsOf(rows)).map((r) => [r.id, r]));
}

export async function markFinal(
	db: Db,
	id: string,
	status: 'skipped' | 'failed',
	error: string,
	now: Date,
	meta: Record<string, unknown> = {}
): Promise<Message> {
	const [row] = await db
		.update(messages)
		.set({ status, error, lockedUntil: null, countedAt: null, meta: sql`${messages.meta} || ${JSON.stringify(meta)}::jsonb`, updatedAt: now })
		.where(and(eq(messages.id, id), eq(messages.status, 'pending')))
		.returning();
	if (row) return row;
	const [current] = await db.select().from(messages).where(eq(messages.id, id));
	return current!;
}

/**
 * Records the attempt on the row before the provider is called, so that whichever attempt comes next knows a
 * request may have left and looks it up before sending again.
 */
export async function markDispatching(db: Db, row: Message, now: Date): Promise<void> {
	const mark = dispatchMark(row.attempts, now);
	await db
		.update(messages)
		.set({
			meta: sql`${messages.meta} || ${JSON.stringify({ dispatch: mark })}::jsonb`,
			// Counted under frequency caps as it goes, unless a cap check counted it already (core/channels/caps.ts).
			...(isCapExempt(row) ? {} : { countedAt: sql`coalesce(${messages.countedAt}, ${now.toISOString()}::timestamptz)` }),
			updatedAt: now
		})
		.where(eq(messages.id, row.id));
}

/** What markDispatching writes, for a draft stored already dispatching by its first attempt. */
export function dispatchingColumns(draft: typeof messages.$inferInsert & { attempts: number }, now: Date): Partial<typeof messages.$inferInsert> {
	return { meta: { ...draft.meta, dispatch: dispatchMark(draft.attempts, now) }, ...(isCapExempt(draft) ? {} : { countedAt: now }) };
}

/**
 * A fresh draft the outbox takes, as markSent would leave it after a dispatch: sent now, counted under the caps, no
 * lease, no dispatch mark (nothing left the machine, so no later attempt has a call to account for).
 */
export function sentColumns(draft: typeof messages.$inferInsert, now: Date): Partial<typeof messages.$inferInsert> {
	return {
		status: 'sent',
		sentAt: now,
		providerMessageId: null,
		lockedUntil: null,
		error: null,
		updatedAt: now,
		...(isCapExempt(draft) ? {} : { countedAt: now })
	};
}

function dispatchMark(attempt: number, now: Date): DispatchMark {
	return { at: now.toISOString(), attempt };
}

/**
 * After a transient failure: note why and free the row at once so Temporal's retry can claim it. `sent:
 * 'no'` (the provider answered with an error, or the request never reached it) forgets the attempt; `maybe`
 * (a timeout or a reset after the request left) keeps it, and the next attempt looks it up first.
 */
export async function release(db: Db, id: string, error: string, now: Date, sent: 'no' | 'maybe' = 'no'): Promise<void> {
	await db
		.update(messages)
		.set({ lockedUntil: null, error, updatedAt: now, ...(sent === 'no' ? { meta: sql`${messages.meta} - 'dispatch'` } : {}) })
		.where(and(eq(messages.id, id), eq(messages.status, 'pending')));
}

/** Undecidable: the row leaves `pending` for `unknown`, shown in the outbox for a person to check. */
export async function markUnknown(db: Db, id: string, why: string, now: Date): Promise<Message> {
	const [row] = await db
		.update(messages)
		.set({ status: 'unknown', error: why, lockedUntil: null, updatedAt: now })
		.where(and(eq(messages.id, id), eq(messages.status, 'pending')))
		.returning();
	if (row) return row;
	const [current] = await db.select().from(messages).where(eq(messages.id, id));
	return current!;
}
