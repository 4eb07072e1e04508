import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import { customers, identities, merges, notes, segmentMembers } from '../db/schema/customers';
import { events } from '../db/schema/events';
import { messages } from '../db/schema/messages';
import { offers } from '../db/schema/offers';
import { refreshSegmentsForCustomer, type MembershipChanges } from '../segments/refresh';
import { profileFields } from './profile';
import { loadProfile, MergeSnapshot } from './snapshot';
import { jsonParam, sized, textsIn } from '../db/rows';
import { inTransaction } from './tx';
import { unmergeProfile } from './unmerge';

export type UndoProblem = 'not_found' | 'already_undone' | 'erased' | 'survivor_merged' | 'not_merged' | 'snapshot_unreadable';

/** A merge that cannot be undone; `code` says why (the UI shows it, the API maps it to 404/409). */
export class MergeUndoError extends Error {
	override name = 'MergeUndoError';
	constructor(
		readonly code: UndoProblem,
		message: string
	) {
		super(message);
	}
}

export type UndoResult = { survivorId: string; restoredId: string; segments: Record<string, MembershipChanges> };

/** `column in (ids)` as one jsonb parameter, whatever the number of ids. */
function idIn(column: AnyPgColumn, ids: readonly (string | number)[]) {
	return sql`${column}::text in ${textsIn(ids.map(String))}`;
}

/**
 * Gives the loser of a merge back exactly what was its own: its identities, its profile as it was, and the
 * events, messages, offers, notes and memberships that moved (by the ids the snapshot recorded). Anything the
 * survivor gained since the merge stays with the survivor. Only a merge whose survivor is still live can be
 * undone: undo later merges first.
 */
export async function undoMerge(db: Db, mergeId: number, opts: { asOf?: Date } = {}): Promise<UndoResult> {
	const asOf = opts.asOf ?? new Date();
	return inTransaction(db, async (tx) => {
		const [merge] = await tx.select().from(merges).where(eq(merges.id, mergeId)).for('update');
		if (!merge) throw new MergeUndoError('not_found', `No merge ${mergeId}.`);
		if (merge.undoneAt) throw new MergeUndoError('already_undone', 'This merge was already undone.');
		const snapshot = MergeSnapshot.safeParse(merge.snapshot);
		if (!snapshot.success) throw new MergeUndoError('snapshot_unreadable', 'This merge kept no usable snapshot (the customer may have been erased).');
		const rows = await tx
			.select()
			.from(customers)
			.where(inArray(customers.id, [merge.intoCustomerId, merge.fromCustomerId]))
			.orderBy(asc(customers.id))
			.for('update');
		const survivor = rows.find((r) => r.id === merge.intoCustomerId);
		const loser = rows.find((r) => r.id === merge.fromCustomerId);
		if (!survivor || !loser || survivor.erasedAt || loser.erasedAt) throw new MergeUndoError('erased', 'One of these customers was erased.');
		if (survivor.mergedInto) throw new MergeUndoError('survivor_merged', 'The surviving profile was merged again since; undo that merge first.');
		if (loser.mergedInto !== survivor.id) throw new MergeUndoError('not_merged', 'The profiles are no longer merged this way.');

		const { moved, loser: loserBefore, survivorBefore } = snapshot.data;
		if (moved.identities.length) {
			await tx
				.update(identities)
				.set({ customerId: loser.id })
				.where(sql`(${identities.kind}, ${identities.value}) in (select f.x->>'kind', f.x->>'value' from ${sized(sql`jsonb_array_elements(${jsonParam(moved.identities)}) as e(x)`, moved.identities.length)} as f)`);
		}
		const back = { customerId: loser.id };
		if (moved.events.length) await tx.update(events).set(back).where(idIn(events.id, moved.events));
		if (moved.messages.length) await tx.update(messages).set(back).where(idIn(messages.id, moved.messages));
		if (moved.offers.length) await tx.update(offers).set(back).where(idIn(offers.id, moved.offers));
		if (moved.notes.length) await tx.update(notes).set(back).where(idIn(notes.id, moved.notes));
		if (moved.segments.length) {
			// Memberships come back as they were; the refresh below then settles both profiles against the definitions.
			await tx
				.insert(segmentMembers)
				.values(moved.segments.map((s) => ({ segmentId: s.segmentId, customerId: loser.id, enteredAt: new Date(s.enteredAt) })))
				.onConflictDoNothing();
		}
		const restored = loadProfile(loserBefore);
		await tx
			.update(customers)
			.set({ ...restored, mergedInto: null })
			.where(eq(customers.id, loser.id));
		await tx
			.update(customers)
			.set(unmergeProfile(profileFields(survivor), loadProfile(survivorBefore), restored))
			.where(eq(customers.id, survivor.id));
		await tx.update(merges).set({ undoneAt: asOf }).where(eq(merges.id, mergeId));
		return {
			survivorId: survivor.id,
			restoredId: loser.id,
			segments: {
				[survivor.id]: await refreshSegmentsForCustomer(tx, survivor.id, { asOf }),
				[loser.id]: await refreshSegmentsForCustomer(tx, loser.id, { asOf })
			}
		};
	});
}
