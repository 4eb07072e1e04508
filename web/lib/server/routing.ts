/**
 * Hands freshly committed events to the journey router (enrol on triggers, signal running enrollments).
 * Fire-and-forget: the events are already durable, and the router retries unrouted rows from the database.
 */
export function notifyRouter(_eventIds: string[]): void {
	// Wired to core/routing by the journey engine.
}
