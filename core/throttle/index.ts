import { and, asc, eq, gt, isNotNull, lte, max, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { throttleSlots } from '../db/schema/throttle';
import { lockKeys } from '../identity/tx';

/**
 * Throttling shared by every worker replica, in PostgreSQL (PGlite embedded): a rate is `max` turns per
 * `windowMs`, i.e. one turn every `windowMs / max`. Two steps, both under a per-bucket advisory lock:
 *
 * 1. `reserveTurn` hands out turns in arrival order, spaced evenly (a virtual schedule: the next turn is one
 *    interval after the last one handed out, or now). The enrollment then waits for its turn in a Temporal
 *    timer — durable, no worker holds anything while it waits — and shows as `held: queued` in its step.
 * 2. `takeTurn`, right before the provider call, checks the actual send times in the sliding window ending now
 *    (and any stamped later by a concurrent attempt) and records this one: a late timer or a worker that was down cannot bunch sends above the rate; if it
 *    would, the send waits until the oldest send in the window leaves it.
 *
 * Why not Temporal-native (a task queue's maxActivitiesPerSecond)? It rates activity starts per task queue,
 * not per channel and journey at once, and a waiting send would hold a retrying activity instead of a timer.
 */
export type Rate = { max: number; windowMs: number };

const UNIT_MS = { second: 1000, minute: 60_000, hour: 3_600_000 } as const;

/** `60/minute` → 60 per 60 000 ms; undefined for undefined. */
export function parseRate(text: string | undefined): Rate | undefined {
	if (!text) return undefined;
	const m = /^(\d+)\/(second|minute|hour)$/.exec(text.trim());
	if (!m || Number(m[1]) < 1) throw new Error(`Invalid rate "${text}": expected like 60/minute`);
	return { max: Number(m[1]), windowMs: UNIT_MS[m[2] as keyof typeof UNIT_MS] };
}

export type Bucket = { bucket: string; rate: Rate };

const interval = (rate: Rate) => rate.windowMs / rate.max;

/**
 * The turn for `key` in each bucket (the latest of them is when it may go): taken once per key, so a retried
 * activity gets the same turn back.
 */
export async function reserveTurn(db: Db, buckets: readonly Bucket[], key: string, now: Date): Promise<Date> {
	let turn = now;
	for (const { bucket, rate } of buckets) {
		const at = await db.transaction(async (tx) => {
			await lockKeys(tx, [`throttle:${bucket}`]);
			const [mine] = await tx
				.select({ slotAt: throttleSlots.slotAt })
				.from(throttleSlots)
				.where(and(eq(throttleSlots.bucket, bucket), eq(throttleSlots.key, key)));
			if (mine) return mine.slotAt;
			const [last] = await tx
				.select({ at: max(throttleSlots.slotAt) })
				.from(throttleSlots)
				.where(eq(throttleSlots.bucket, bucket));
			const next = last?.at ? new Date(Math.max(now.getTime(), new Date(last.at).getTime() + interval(rate))) : now;
			await tx.insert(throttleSlots).values({ bucket, key, slotAt: next, createdAt: now });
			return next;
		});
		if (at > turn) turn = at;
	}
	if (buckets.length > 0 && Math.random() < 0.002) await pruneTurns(db, now); // now and then, by whichever worker
	return turn;
}

/**
 * Right before sending: may `key` go now in every bucket? Yes → its send time is recorded (counted in the
 * sliding window of later sends). No → the instant the window will have room.
 */
export async function takeTurn(db: Db, buckets: readonly Bucket[], key: string, now: Date): Promise<{ ok: true } | { ok: false; until: Date }> {
	if (buckets.length === 0) return { ok: true };
	return db.transaction(async (tx) => {
		await lockKeys(
			tx,
			buckets.map((b) => `throttle:${b.bucket}`)
		);
		let until: Date | null = null;
		for (const { bucket, rate } of buckets) {
			const [mine] = await tx
				.select({ sentAt: throttleSlots.sentAt })
				.from(throttleSlots)
				.where(and(eq(throttleSlots.bucket, bucket), eq(throttleSlots.key, key)));
			if (mine?.sentAt) continue; // this send already took its turn (a retried attempt)
			const recent = await tx
				.select({ at: throttleSlots.sentAt })
				.from(throttleSlots)
				.where(
					and(
						eq(throttleSlots.bucket, bucket),
						isNotNull(throttleSlots.sentAt),
						// No upper bound: a concurrent attempt that read its clock later may have taken the lock first and
						// stamped a later time. Ignoring it would let two sends through where the rate allows one.
						gt(throttleSlots.sentAt, new Date(now.getTime() - rate.windowMs))
					)
				)
				.orderBy(asc(throttleSlots.sentAt));
			if (recent.length >= rate.max) {
				const free = new Date(recent[recent.length - rate.max]!.at!.getTime() + rate.windowMs);
				if (!until || free > until) until = free;
			}
		}
		if (until) return { ok: false as const, until };
		for (const { bucket } of buckets)
			await tx
				.insert(throttleSlots)
				.values({ bucket, key, slotAt: now, sentAt: now, createdAt: now })
				.onConflictDoUpdate({
					target: [throttleSlots.bucket, throttleSlots.key],
					set: { sentAt: sql`coalesce(${throttleSlots.sentAt}, ${now.toISOString()}::timestamptz)` }
				});
		return { ok: true as const };
	});
}

/** Turns older than a day are history: dropped so the table stays small (called by the worker now and then). */
export async function pruneTurns(db: Db, now: Date): Promise<void> {
	await db.delete(throttleSlots).where(lte(throttleSlots.slotAt, new Date(now.getTime() - 86_400_000)));
}
