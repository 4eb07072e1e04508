import { z } from 'zod';
import { identityKinds } from '../db/schema/customers';
import { consentChannels } from './consent';
import type { ProfileFields } from './profile';

const StoredProfile = z.object({
	traits: z.record(z.string(), z.unknown()),
	traitTimes: z.record(z.string(), z.string()),
	consent: z.partialRecord(z.enum(consentChannels), z.object({ granted: z.boolean(), source: z.string(), at: z.string() })),
	timezone: z.string().nullable(),
	firstSeenAt: z.iso.datetime({ offset: true }),
	lastSeenAt: z.iso.datetime({ offset: true }),
	ordersCount: z.number().int(),
	lifetimeValue: z.string()
});
export type StoredProfile = z.infer<typeof StoredProfile>;

/**
 * What a merge changed, kept in `merges.snapshot` so `undoMerge` can give the loser back exactly its own:
 * both profiles as they were, and the ids of every row that moved. Re-validated when read.
 */
export const MergeSnapshot = z.object({
	version: z.literal(1),
	loser: StoredProfile,
	survivorBefore: StoredProfile,
	moved: z.object({
		identities: z.array(z.object({ kind: z.enum(identityKinds), value: z.string() })),
		events: z.array(z.string()),
		messages: z.array(z.string()),
		offers: z.array(z.string()),
		notes: z.array(z.number()),
		/** The loser's memberships; `moved` when the survivor was not already a member. */
		segments: z.array(z.object({ segmentId: z.string(), enteredAt: z.iso.datetime({ offset: true }), moved: z.boolean() }))
	})
});
export type MergeSnapshot = z.infer<typeof MergeSnapshot>;

export function storeProfile(p: ProfileFields): StoredProfile {
	return { ...p, firstSeenAt: p.firstSeenAt.toISOString(), lastSeenAt: p.lastSeenAt.toISOString() };
}

export function loadProfile(p: StoredProfile): ProfileFields {
	return { ...p, firstSeenAt: new Date(p.firstSeenAt), lastSeenAt: new Date(p.lastSeenAt) };
}
