import { randomUUID } from 'node:crypto';
import { events } from '../db/schema/events';
import type { Tx } from '../identity/tx';

export type SegmentTransition = { segmentId: string; segmentName: string; customerId: string; change: 'entered' | 'left' };

/** `segment:<segment>:<change>:<customer>:<ms>`: a replayed refresh at the same instant writes nothing twice. */
export function transitionMessageId(t: Pick<SegmentTransition, 'segmentId' | 'change' | 'customerId'>, asOf: Date): string {
	return `segment:${t.segmentId}:${t.change}:${t.customerId}:${asOf.getTime()}`;
}

/**
 * Each membership change is also written as an event (`segment_entered` / `segment_left`, properties
 * `{ segmentId, segmentName }`). That makes it durable for the router (which retries unrouted events, so a
 * segment-triggered journey is not lost while Temporal is down) and visible on the customer's timeline.
 */
export async function recordTransitions(tx: Tx, transitions: readonly SegmentTransition[], asOf: Date): Promise<string[]> {
	if (transitions.length === 0) return [];
	const rows = await tx
		.insert(events)
		.values(
			transitions.map((t) => ({
				id: randomUUID(),
				messageId: transitionMessageId(t, asOf),
				type: 'track' as const,
				name: `segment_${t.change}`,
				customerId: t.customerId,
				properties: { segmentId: t.segmentId, segmentName: t.segmentName },
				context: { source: 'segments' },
				timestamp: asOf,
				receivedAt: asOf
			}))
		)
		.onConflictDoNothing()
		.returning({ id: events.id });
	return rows.map((r) => r.id);
}
