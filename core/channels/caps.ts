import { and, asc, eq, gt, inArray, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { messages, type Message } from '../db/schema/messages';
import { customerFamily } from '../identity/lookup';
import { lockKeys } from '../identity/tx';

/** At most `max` marketing messages on `channel` (`all`: every message channel together) per rolling `windowMs`. */
export type CapRule = { channel: 'email' | 'sms' | 'whatsapp' | 'push' | 'all'; max: number; windowMs: number };

/** `held`: the earliest instant every cap allows this message (its oldest counted message leaves the window). */
export type CapDecision = { state: 'counted' } | { state: 'capped'; until: Date; cap: CapRule };

/** Transactional messages (order ready) are exempt: they neither count nor are held back by caps. */
export function isCapExempt(row: { meta?: Message['meta'] | null }): boolean {
	return row.meta?.purpose === 'transactional';
}

/**
 * Checks every cap that applies to `row` and, when all allow it, counts it (`counted_at`), in one transaction
 * holding a lock on the customer: of two concurrent sends to one customer the second sees the first counted,
 * whichever channel or worker replica each runs on. Messages count across journeys and across merged profiles.
 * A row already counted (a retried attempt) passes again without counting twice.
 */
export async function countUnderCaps(db: Db, row: Message, caps: readonly CapRule[], now: Date): Promise<CapDecision> {
	const rules = caps.filter((c) => c.channel === 'all' || c.channel === row.channel);
	// Nothing to check: the message is counted when it is dispatched (markDispatching), without a lock; a lock
	// would only order it after a capped send to the same person that is checking, which it cannot change.
	if (isCapExempt(row) || rules.length === 0) return { state: 'counted' };
	return db.transaction(async (tx) => {
		const family = await customerFamily(tx, row.customerId);
		await lockKeys(tx, [`frequency-cap:${[...family].sort()[0] ?? row.customerId}`]);
		const [current] = await tx.select({ countedAt: messages.countedAt }).from(messages).where(eq(messages.id, row.id));
		if (current?.countedAt) return { state: 'counted' } as const;
		let held: { until: Date; cap: CapRule } | null = null;
		for (const cap of rules) {
			const counted = await tx
				.select({ at: messages.countedAt })
				.from(messages)
				.where(
					and(
						inArray(messages.customerId, family),
						gt(messages.countedAt, new Date(now.getTime() - cap.windowMs)),
						ne(messages.id, row.id),
						cap.channel === 'all' ? undefined : eq(messages.channel, cap.channel)
					)
				)
				.orderBy(asc(messages.countedAt));
			if (counted.length < cap.max) continue;
			// The message that must leave the window before one more fits.
			const until = new Date(counted[counted.length - cap.max]!.at!.getTime() + cap.windowMs);
			if (!held || until > held.until) held = { until, cap };
		}
		if (held) return { state: 'capped', ...held } as const;
		await tx.update(messages).set({ countedAt: now }).where(eq(messages.id, row.id));
		return { state: 'counted' } as const;
	});
}
