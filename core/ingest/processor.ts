import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { isDatabaseUnavailable } from '../db/client';
import { ingestInbox, type InboxRow } from '../db/schema/inbox';
import { inTransaction, type Tx } from '../identity/tx';
import { rowsOf } from '../db/rows';
import { onInboxAppend } from './inbox';
import { prepare, writeMessages, type Prepared } from './ingest';
import { Message } from './schema';

/*
 * The inbox processor (in the worker; several may run). Each pass claims the oldest waiting rows with
 * `FOR UPDATE SKIP LOCKED`, leaves out any sender whose earlier row another processor holds (so one sender's
 * messages are written in receive order), and writes the rest in ONE transaction through the same code as
 * ingestMessages (identity, events, profiles, segments), deleting the rows it wrote. A batch that fails is retried
 * one message per transaction, so a poison message is isolated: it backs off and, after MAX_ATTEMPTS, is kept as a
 * dead letter (failed_at) instead of blocking its sender for ever.
 */

export const PROCESSOR_DEFAULTS = { batchSize: 500, idleMs: 200, maxAttempts: 8 } as const;

export type ProcessResult = {
	/** Inbox rows turned into events (or found to be duplicates) and deleted. */
	processed: number;
	/** Committed events to route: the messages', then the segment changes they caused. */
	eventIds: string[];
	/** Rows whose processing failed this pass (retried later). */
	failed: number;
};

function parseRow(row: InboxRow): Prepared {
	const message = Message.parse(row.message);
	return prepare(message, row.receivedAt, row.eventId);
}

/** Claims up to `limit` rows, then drops the senders whose earlier rows are not ours (held elsewhere, or backing off). */
async function claim(tx: Tx, limit: number, now: Date, onlySeq?: number): Promise<InboxRow[]> {
	const rows = await tx
		.select()
		.from(ingestInbox)
		.where(
			onlySeq !== undefined
				? eq(ingestInbox.seq, onlySeq)
				: sql`${ingestInbox.failedAt} is null and ${ingestInbox.availableAt} <= ${now.toISOString()}::timestamptz`
		)
		.orderBy(asc(ingestInbox.seq))
		.limit(limit)
		.for('update', { skipLocked: true });
	if (rows.length === 0) return rows;
	const firstSeq = new Map<string, number>();
	for (const r of rows) if (!firstSeq.has(r.senderKey)) firstSeq.set(r.senderKey, r.seq);
	const blocked = new Set(
		rowsOf<{ key: string }>(
			await tx.execute(sql`
				select k.key from jsonb_each_text(${JSON.stringify(Object.fromEntries(firstSeq))}::jsonb) as k(key, seq)
				where exists (select 1 from ingest_inbox i where i.sender_key = k.key and i.seq < k.seq::bigint and i.failed_at is null)`)
		).map((r) => r.key)
	);
	return blocked.size ? rows.filter((r) => !blocked.has(r.senderKey)) : rows;
}

async function writeAndDelete(tx: Tx, rows: InboxRow[]): Promise<string[]> {
	if (rows.length === 0) return [];
	const result = await writeMessages(tx, rows.map(parseRow));
	await tx.delete(ingestInbox).where(
		inArray(
			ingestInbox.seq,
			rows.map((r) => r.seq)
		)
	);
	return result.eventIds;
}

/** One pass: a batch in one transaction, or, if that fails, message by message. */
export async function processInbox(db: Db, o: { limit?: number; now?: Date; maxAttempts?: number } = {}): Promise<ProcessResult> {
	const limit = o.limit ?? PROCESSOR_DEFAULTS.batchSize;
	const now = o.now ?? new Date();
	let claimedSeqs: number[] = [];
	try {
		return await inTransaction(db, async (tx) => {
			const rows = await claim(tx, limit, now);
			claimedSeqs = rows.map((r) => r.seq);
			const eventIds = await writeAndDelete(tx, rows);
			return { processed: rows.length, eventIds, failed: 0 };
		});
	} catch (err) {
		// The database is down: nothing to isolate; the rows wait (they were never deleted).
		if (isDatabaseUnavailable(err) || claimedSeqs.length === 0) throw err;
	}
	const result: ProcessResult = { processed: 0, eventIds: [], failed: 0 };
	for (const seq of claimedSeqs) {
		try {
			const ids = await inTransaction(db, async (tx) => {
				const rows = await claim(tx, 1, now, seq);
				const eventIds = await writeAndDelete(tx, rows);
				if (rows.length) result.processed++;
				return eventIds;
			});
			result.eventIds.push(...ids);
		} catch (err) {
			if (isDatabaseUnavailable(err)) throw err;
			result.failed++;
			await recordFailure(db, seq, err, now, o.maxAttempts ?? PROCESSOR_DEFAULTS.maxAttempts);
		}
	}
	return result;
}

async function recordFailure(db: Db, seq: number, err: unknown, now: Date, maxAttempts: number): Promise<void> {
	const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
	await db
		.update(ingestInbox)
		.set({
			attempts: sql`${ingestInbox.attempts} + 1`,
			error: message,
			// 2^attempts seconds, at most 5 minutes; the last attempt makes it a dead letter.
			availableAt: sql`${now.toISOString()}::timestamptz + make_interval(secs => least(power(2, ${ingestInbox.attempts} + 1), 300))`,
			failedAt: sql`case when ${ingestInbox.attempts} + 1 >= ${maxAttempts} then ${now.toISOString()}::timestamptz else null end`
		})
		.where(eq(ingestInbox.seq, seq));
}

export type ProcessorOptions = {
	batchSize?: number;
	/** Poll interval when the inbox is empty (appends in this process wake it at once). */
	idleMs?: number;
	/** Routes the events a batch committed (the worker's router); failures are left to the routing sweep. */
	route?: (eventIds: string[]) => Promise<void>;
	log?: (m: string) => void;
};

/**
 * Runs passes until stopped: back-to-back while there is work, else every `idleMs` (or when this process appends).
 * `stop` lets the pass in flight finish (its batch commits or rolls back whole) and resolves after it.
 */
export function startInboxProcessor(db: Db, o: ProcessorOptions = {}): { stop(): Promise<void> } {
	const log = o.log ?? console.error;
	let stopped = false;
	let wake: (() => void) | undefined;
	const unsubscribe = onInboxAppend(() => wake?.());
	let down = false;
	const loop = (async () => {
		while (!stopped) {
			let busy = false;
			try {
				const r = await processInbox(db, { limit: o.batchSize });
				if (down) log('inbox processor: the database is back');
				down = false;
				busy = r.processed + r.failed > 0;
				if (r.failed) log(`inbox processor: ${r.failed} message(s) failed; retried with back-off`);
				if (r.eventIds.length && o.route) await o.route(r.eventIds).catch(() => {});
			} catch (err) {
				if (!down) log(`inbox processor: ${err instanceof Error ? err.message : String(err)}; accepted messages wait in the inbox`);
				down = true;
			}
			if (busy || stopped) continue;
			await new Promise<void>((resume) => {
				const timer = setTimeout(resume, down ? 2_000 : (o.idleMs ?? PROCESSOR_DEFAULTS.idleMs));
				wake = () => {
					clearTimeout(timer);
					resume();
				};
			});
			wake = undefined;
		}
	})();
	return {
		async stop() {
			stopped = true;
			wake?.();
			unsubscribe();
			await loop;
		}
	};
}
