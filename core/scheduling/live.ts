import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { journeys, journeyVersions, type JourneyStatus } from '../db/schema/journeys';
import { triggerOf } from '../graph/graph';
import type { ScheduleEntry } from '../graph/nodes';
import { parseJourney } from '../graph/validate';
import type { LiveJourney } from '../routing/triggers';

export type JourneySchedulePlan = {
	/** What the journey's schedule should be: absent (no scheduled trigger, not published, stopped, archived) or there. */
	want: 'absent' | 'active' | 'paused';
	status: JourneyStatus | null;
	live?: LiveJourney;
	entry?: ScheduleEntry;
};

/**
 * A journey's live version and scheduled trigger, read fresh from the database (never routing's cache): the
 * schedule's fate and every run's entries follow the journey's state at that moment.
 */
export async function journeySchedulePlan(db: Db, journeyId: string): Promise<JourneySchedulePlan> {
	const [row] = await db
		.select({ status: journeys.status, archivedAt: journeys.archivedAt, version: journeyVersions.version, definition: journeyVersions.definition })
		.from(journeys)
		.leftJoin(journeyVersions, and(eq(journeyVersions.journeyId, journeys.id), eq(journeyVersions.version, journeys.liveVersion)))
		.where(eq(journeys.id, journeyId));
	if (!row) return { want: 'absent', status: null };
	if (row.version === null || row.definition === null) return { want: 'absent', status: row.status };
	const definition = parseJourney(row.definition);
	const entry = triggerOf(definition)?.entry;
	if (entry?.kind !== 'schedule') return { want: 'absent', status: row.status };
	const live = { journeyId, version: row.version, definition };
	const want = row.archivedAt !== null || (row.status !== 'active' && row.status !== 'paused') ? 'absent' : row.status;
	return { want, status: row.status, live, entry };
}
