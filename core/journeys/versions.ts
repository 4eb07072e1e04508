import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { enrollments, journeyVersions, type Journey, type JourneyVersion } from '../db/schema/journeys';
import { validateJourney } from '../graph/validate';
import { JourneyError } from './errors';
import { getJourney } from './journeys';
import { behaviourOf, sameJson } from './same-json';

export type VersionSummary = Omit<JourneyVersion, 'definition' | 'layout' | 'journeyId'> & { live: boolean; enrollmentCount: number };

/** Newest first, with how many customers entered each (they stay pinned to it). */
export async function listVersions(db: Db, journeyId: string): Promise<VersionSummary[]> {
	const journey = await getJourney(db, journeyId);
	const rows = await db
		.select({
			version: journeyVersions.version,
			publishedAt: journeyVersions.publishedAt,
			publishedBy: journeyVersions.publishedBy,
			// Outer names spelled out: drizzle leaves them unqualified in a single-table select.
			enrollmentCount: sql<number>`(select count(*)::int from ${enrollments} e where e.journey_id = "journey_versions"."journey_id" and e.version = "journey_versions"."version")`
		})
		.from(journeyVersions)
		.where(eq(journeyVersions.journeyId, journeyId))
		.orderBy(desc(journeyVersions.version));
	return rows.map((r) => ({ ...r, live: r.version === journey.liveVersion }));
}

export async function getVersion(db: Db, journeyId: string, version: number): Promise<JourneyVersion> {
	await getJourney(db, journeyId);
	const [row] = await db
		.select()
		.from(journeyVersions)
		.where(and(eq(journeyVersions.journeyId, journeyId), eq(journeyVersions.version, version)));
	if (!row) throw new JourneyError('not_found', `This journey has no version ${version}.`);
	return row;
}

/** Whether publishing now would mint a new version: the draft, as publishing would store it, differs from the latest. */
export async function hasUnpublishedChanges(db: Db, journey: Journey): Promise<boolean> {
	const [latest] = await db
		.select({ definition: journeyVersions.definition })
		.from(journeyVersions)
		.where(eq(journeyVersions.journeyId, journey.id))
		.orderBy(desc(journeyVersions.version))
		.limit(1);
	if (!latest) return true;
	// Compared as publishing stores it (keys the schema does not know are dropped), so they do not count as changes.
	return !sameJson(behaviourOf(latest.definition), validateJourney(journey.draft).definition ?? journey.draft);
}
