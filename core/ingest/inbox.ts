import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { GroupCommit, type GroupCommitOptions } from '../db/group-commit';
import { rowsOf, textsIn } from '../db/rows';
import { messageIdOf } from './ingest';
import { validateMessagesWithJson } from './validate';

/*
 * Accept, then process. The HTTP API validates messages and appends them to `ingest_inbox`; the answer (200) waits
 * for that commit only. Concurrent requests share one multi-row INSERT (group commit): a request that finds no
 * write in flight writes at once; requests arriving while writes are in flight queue and go together in the next
 * one, so the wait is bounded by one write (a few ms) and the commits per second stay flat as clients multiply.
 * The processor (processor.ts, in the worker) turns inbox rows into events, profiles and routing.
 */

export type InboxAccepted = { messageId: string; eventId: string; duplicate: boolean };

type Entry = { eventId: string; messageId: string; senderKey: string; message: Record<string, unknown>; receivedAt: string };

/** Wakes an in-process processor at once (embedded mode); other processes poll. Shared through globalThis: the built web app bundles its own copy of this module. */
const WAKE = Symbol.for('omnicanal.inbox-wake');
type WakeHolder = { [WAKE]?: Set<() => void> };

export function onInboxAppend(listener: () => void): () => void {
	const holder = globalThis as WakeHolder;
	const set = (holder[WAKE] ??= new Set());
	set.add(listener);
	return () => set.delete(listener);
}

function wakeProcessors(): void {
	for (const listener of (globalThis as WakeHolder)[WAKE] ?? []) listener();
}

/** Validated messages as inbox entries: event ids assigned now (the client gets them), dedupe inside the call. */
export function inboxEntries(messages: readonly unknown[], receivedAt: Date): Entry[] {
	return validateMessagesWithJson(messages).map(({ message, json }) => {
		const eventId = randomUUID();
		const messageId = messageIdOf(message, eventId);
		const senderKey = message.userId ? `u:${message.userId}` : `a:${message.anonymousId ?? ''}`;
		return { eventId, messageId, senderKey, message: { ...json, messageId }, receivedAt: receivedAt.toISOString() };
	});
}

/**
 * Appends entries in one statement; returns each messageId's answer. A messageId already in the inbox or already
 * processed into `events` is a retry: answered with the original event id, nothing written.
 */
async function appendRows(db: Db, entries: Entry[]): Promise<Map<string, InboxAccepted>> {
	const result = new Map<string, InboxAccepted>();
	if (entries.length === 0) return result;
	const rows = rowsOf<{ message_id: string; event_id: string | null; duplicate: boolean }>(
		await db.execute(sql`
			with input as (
				select * from jsonb_to_recordset(${JSON.stringify(entries)}::jsonb)
					as x("eventId" text, "messageId" text, "senderKey" text, message jsonb, "receivedAt" timestamptz)
			), ins as (
				insert into ingest_inbox (event_id, message_id, sender_key, message, received_at)
				select i."eventId", i."messageId", i."senderKey", i.message, i."receivedAt" from input i
				where not exists (select 1 from events e where e.message_id = i."messageId")
				on conflict (message_id) do nothing
				returning message_id, event_id
			)
			select message_id, event_id, false as duplicate from ins
			union all
			select i."messageId", coalesce(e.id, b.event_id), true from input i
				left join events e on e.message_id = i."messageId"
				left join ingest_inbox b on b.message_id = i."messageId"
				where not exists (select 1 from ins where ins.message_id = i."messageId")`)
	);
	const unknown: string[] = [];
	for (const r of rows) {
		result.set(r.message_id, { messageId: r.message_id, eventId: r.event_id ?? '', duplicate: r.duplicate });
		if (!r.event_id) unknown.push(r.message_id);
	}
	// A duplicate committed by a concurrent write after this statement's snapshot: look its id up now.
	if (unknown.length) {
		const found = rowsOf<{ message_id: string; event_id: string }>(
			await db.execute(sql`
				select message_id, event_id from ingest_inbox where message_id in ${textsIn(unknown)}
				union all select message_id, id from events where message_id in ${textsIn(unknown)}`)
		);
		for (const f of found) result.set(f.message_id, { messageId: f.message_id, eventId: f.event_id, duplicate: true });
	}
	return result;
}

/**
 * Group commit of inbox appends for one process (core/db/group-commit.ts). `append` resolves once the entries are
 * committed (or throws if the write failed: nothing of that group was kept).
 */
export class InboxWriter {
	private readonly group: GroupCommit<Entry[], Map<string, InboxAccepted>>;

	constructor(db: Db, o: GroupCommitOptions = {}) {
		this.group = new GroupCommit(
			(requests) => writeRequests(db, requests),
			o,
			(entries) => entries.length
		);
	}

	/** Answers in the order of `entries`; a messageId twice in one call is answered once written, then as a duplicate. */
	async append(entries: Entry[]): Promise<InboxAccepted[]> {
		const unique = new Map<string, Entry>();
		for (const e of entries) if (!unique.has(e.messageId)) unique.set(e.messageId, e);
		const written = await this.group.submit([...unique.values()]);
		const answered = new Set<string>();
		return entries.map((e) => {
			const a = written.get(e.messageId)!;
			if (answered.has(e.messageId)) return { ...a, duplicate: true };
			answered.add(e.messageId);
			return a;
		});
	}
}

/** One INSERT for a group of requests; each request's answers. */
async function writeRequests(db: Db, requests: Entry[][]): Promise<PromiseFulfilledResult<Map<string, InboxAccepted>>[]> {
	// One messageId in two requests of the group: the first writes it, the second is its duplicate.
	const first = new Map<string, Entry>();
	for (const entries of requests) for (const e of entries) if (!first.has(e.messageId)) first.set(e.messageId, e);
	const written = await appendRows(db, [...first.values()]);
	const claimed = new Set<string>();
	const answers = requests.map((entries) => {
		const mine = new Map<string, InboxAccepted>();
		for (const e of entries) {
			const a = written.get(e.messageId)!;
			const ownWrite = !a.duplicate && first.get(e.messageId) === e && !claimed.has(e.messageId);
			claimed.add(e.messageId);
			mine.set(e.messageId, ownWrite ? a : { ...a, duplicate: true });
		}
		return { status: 'fulfilled' as const, value: mine };
	});
	wakeProcessors();
	return answers;
}

export type InboxBacklog = {
	/** Messages accepted and waiting for the processor (dead letters excluded). */
	waiting: number;
	/** Messages the processor gave up on (kept with their error). */
	failed: number;
	/** Events processed but not yet routed to journeys (routing retries them). */
	unrouted: number;
	/** Age of the oldest accepted event not yet routed (waiting in the inbox, or unrouted without a failed attempt); 0 when none. */
	lagMs: number;
};

/** The backlog between the HTTP answer and the journeys: what the status page, health and backpressure read. */
export async function inboxBacklog(db: Db, now = new Date()): Promise<InboxBacklog> {
	const [row] = rowsOf<{ waiting: number; failed: number; unrouted: number; oldest: string | Date | null }>(
		await db.execute(sql`select
			(select count(*)::int from ingest_inbox where failed_at is null) as waiting,
			(select count(*)::int from ingest_inbox where failed_at is not null) as failed,
			(select count(*)::int from events where routed_at is null) as unrouted,
			least(
				(select min(received_at) from ingest_inbox where failed_at is null),
				(select min(received_at) from events where routed_at is null and routing_attempts = 0)
			) as oldest`)
	);
	const oldest = row?.oldest ? new Date(row.oldest).getTime() : null;
	return {
		waiting: row?.waiting ?? 0,
		failed: row?.failed ?? 0,
		unrouted: row?.unrouted ?? 0,
		lagMs: oldest === null ? 0 : Math.max(0, now.getTime() - oldest)
	};
}
