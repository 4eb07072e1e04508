import type { Db } from '../db/client';
import { GroupCommit, type GroupWrite } from '../db/group-commit';
import type { SuppressionChannel } from '../db/schema/customers';
import { messages, type Message } from '../db/schema/messages';
import { isSuppressed, suppressedAmong } from './consent';
import { insertOrGet, insertOrGetMany, markSent, markSentMany } from './outbound';
import { loadRecipient, loadRecipients, type Recipient } from './recipients';
import type { ProviderReceipt } from './types';

/**
 * The reads and writes every send makes on its way out (core/channels/send.ts): the recipient, the suppression
 * check, the message row stored before the provider call and its result after. `directStore` makes each on its own.
 */
export interface SendStore {
	loadRecipient(customerId: string): Promise<Recipient | null>;
	isSuppressed(channel: SuppressionChannel, address: string): Promise<boolean>;
	insertOrGet(values: typeof messages.$inferInsert): Promise<{ row: Message; inserted: boolean }>;
	markSent(id: string, receipt: ProviderReceipt, now: Date): Promise<Message>;
}

export function directStore(db: Db): SendStore {
	return {
		loadRecipient: (customerId) => loadRecipient(db, customerId),
		isSuppressed: (channel, address) => isSuppressed(db, channel, address),
		insertOrGet: (values) => insertOrGet(db, values),
		markSent: (id, receipt, now) => markSent(db, id, receipt, now)
	};
}

/**
 * The worker's store: the sends in flight at the same moment share each statement — one read of their recipients,
 * one of their suppressions, one insert of their messages, one update of their results — as the progress writes
 * do (core/db/group-commit.ts: a lone send never waits for company). Each statement stands alone (no transaction
 * spans sends), so sharing changes no guarantee: a message row is committed before its provider call, and its key
 * still answers a retry. Should a shared statement fail (one bad row), each of its sends makes it again alone, so
 * one send's failure stays its own.
 */
export function batchedStore(db: Db): SendStore & { stats(): Record<string, GroupCommit<never, never>['stats']> } {
	const options = { maxInFlight: 2, maxBatch: 200 };
	const recipients = new GroupCommit<string, Recipient | null>(
		orEachAlone(
			async (ids) => {
				const found = await loadRecipients(db, ids);
				return ids.map((id) => ({ status: 'fulfilled', value: found.get(id) ?? null }));
			},
			(id) => loadRecipient(db, id)
		),
		options
	);
	const suppressed = new GroupCommit<{ channel: SuppressionChannel; address: string }, boolean>(
		orEachAlone(
			async (items) => (await suppressedAmong(db, items)).map((value) => ({ status: 'fulfilled', value })),
			({ channel, address }) => isSuppressed(db, channel, address)
		),
		options
	);
	const stored = new GroupCommit<typeof messages.$inferInsert, { row: Message; inserted: boolean }>(
		orEachAlone(
			(drafts) => insertOrGetMany(db, drafts),
			(draft) => insertOrGet(db, draft)
		),
		options
	);
	const sent = new GroupCommit<{ id: string; receipt: ProviderReceipt; now: Date }, Message>(
		orEachAlone(
			async (items) => {
				const byId = await markSentMany(db, items);
				return items.map(({ id }): PromiseSettledResult<Message> => {
					const row = byId.get(id);
					return row ? { status: 'fulfilled', value: row } : { status: 'rejected', reason: new Error(`message ${id} not found to mark sent`) };
				});
			},
			({ id, receipt, now }) => markSent(db, id, receipt, now)
		),
		options
	);
	return {
		loadRecipient: (customerId) => recipients.submit(customerId),
		isSuppressed: (channel, address) => suppressed.submit({ channel, address }),
		insertOrGet: (values) => stored.submit(values),
		markSent: (id, receipt, now) => sent.submit({ id, receipt, now }),
		/** Statements made and sends they carried, by kind (items ÷ writes is the sharing). */
		stats: () => ({ recipients: recipients.stats, suppressions: suppressed.stats, inserts: stored.stats, results: sent.stats })
	};
}

/** A shared statement, or — should it fail — each item's own, so that one bad item fails alone. */
function orEachAlone<T, R>(together: GroupWrite<T, R>, alone: (item: T) => Promise<R>): GroupWrite<T, R> {
	return async (items) => {
		if (items.length === 1) return Promise.allSettled([alone(items[0]!)]);
		try {
			return await together(items);
		} catch {
			return Promise.allSettled(items.map(alone));
		}
	};
}
