import type { Db } from '../db/client';
import { segments } from '../db/schema/customers';
import { runPeriodically } from '../jobs/periodic';
import { refreshSegment } from './refresh';

/**
 * Segments with time windows ("viewed X in the last 7 days") change membership as time passes, not only when
 * events arrive: re-evaluate every segment on a schedule. Membership changes are written as
 * `segment_entered`/`segment_left` events, which the routing sweep then delivers to journeys.
 */
export function startSegmentRefreshLoop(db: Db, intervalMs = 5 * 60_000, log: (m: string) => void = console.error): { stop(): Promise<void> } {
	return runPeriodically(async () => {
		try {
			for (const { id } of await db.select({ id: segments.id }).from(segments)) await refreshSegment(db, id);
		} catch (err) {
			log(`segment refresh failed: ${err instanceof Error ? err.message : String(err)}`);
		}
	}, intervalMs);
}
