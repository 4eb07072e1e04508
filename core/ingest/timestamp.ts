/** Network latency, not a wrong clock: below this the client's own time is kept as sent. */
const SKEW_TOLERANCE_MS = 60_000;
/** A client clock ahead of ours by more than this would freeze traits "in the future" (newer time wins). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const EPOCH_1970 = 0;

/**
 * When the event happened. The client's time (`timestamp`, else `originalTimestamp`) is corrected for a wrong
 * device clock as Segment does — `receivedAt - (sentAt - clientTime)` — when `sentAt` shows the clock off by
 * more than a minute. Without a client time it is `receivedAt`; never more than 5 minutes in our future.
 */
export function eventTime(m: { timestamp?: Date; originalTimestamp?: Date; sentAt?: Date }, receivedAt: Date): Date {
	const client = m.timestamp ?? m.originalTimestamp;
	if (!client) return receivedAt;
	let t = client.getTime();
	if (m.sentAt) {
		const skew = receivedAt.getTime() - m.sentAt.getTime();
		const corrected = t + skew;
		if (Math.abs(skew) > SKEW_TOLERANCE_MS && corrected >= EPOCH_1970) t = corrected;
	}
	return t > receivedAt.getTime() + FUTURE_TOLERANCE_MS ? receivedAt : new Date(t);
}
