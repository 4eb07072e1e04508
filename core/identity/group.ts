/** A profile that some of the message's identifiers already point at. */
export type Candidate = { id: string; firstSeenAt: Date; userIds: readonly string[] };

/**
 * Which candidate profiles become one person, survivor first (the oldest; ties by id). A profile whose userId
 * differs from one already in the group stays apart: two signed-in accounts seen on one shared browser are two
 * people, not one. `force` (an explicit `alias` call) skips that check.
 * An empty result means the message belongs to a new profile.
 */
export function chooseMergeGroup(candidates: readonly Candidate[], messageUserId: string | undefined, force = false): string[] {
	const ordered = [...candidates].sort((a, b) => a.firstSeenAt.getTime() - b.firstSeenAt.getTime() || a.id.localeCompare(b.id));
	const userIds = new Set(messageUserId === undefined ? [] : [messageUserId]);
	const group: string[] = [];
	for (const c of ordered) {
		const conflicts = !force && userIds.size > 0 && c.userIds.some((u) => !userIds.has(u));
		if (conflicts) continue;
		group.push(c.id);
		for (const u of c.userIds) userIds.add(u);
	}
	return group;
}
