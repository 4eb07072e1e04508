import { and, desc, eq, inArray, isNotNull, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { journeys, journeyVersions, type Journey, type JourneyStatus } from '../db/schema/journeys';
import { parseJourney, InvalidJourneyError } from '../graph/validate';
import { JourneyError, journeyArchived, journeyNotFound } from './errors';
import { behaviourOf, sameJson } from './same-json';
import { readLayout } from '../graph/layout';
import { validationContext, withStepLabels } from './validation';
import { recordAudit, type AuditActor } from '../privacy/audit';

export type PublishResult = { journey: Journey; version: number; created: boolean };

/**
 * Publishes the draft: validates it, stores it as the next immutable version, makes that version live and the
 * journey active. Customers already inside stay on the version they entered. Publishing a draft identical to
 * the latest version re-uses it (a double click must not mint a version), and re-activates a paused journey.
 */
export async function publish(db: Db, id: string, by: { publishedBy: string | null; actor?: AuditActor }): Promise<PublishResult> {
	const ctx = await validationContext(db);
	return db.transaction(async (tx) => {
		// Row lock: two publishes of one journey take turns, so they cannot both claim version n+1.
		const [row] = await tx.select().from(journeys).where(eq(journeys.id, id)).for('update');
		if (!row) throw journeyNotFound(id);
		if (row.archivedAt !== null) throw journeyArchived('be published');
		if (row.status === 'stopped')
			throw new JourneyError('invalid_transition', 'This journey was stopped and cannot go live again; create a new journey instead.');
		let definition;
		try {
			definition = parseJourney(row.draft, ctx);
		} catch (err) {
			if (!(err instanceof InvalidJourneyError)) throw err;
			const problems = withStepLabels(row.draft, err.problems);
			throw new JourneyError(
				'invalid_journey',
				`The journey can't be published until ${problems.length === 1 ? 'one problem is' : `${problems.length} problems are`} fixed.`,
				problems
			);
		}
		const [latest] = await tx
			.select({ version: journeyVersions.version, definition: journeyVersions.definition })
			.from(journeyVersions)
			.where(eq(journeyVersions.journeyId, id))
			.orderBy(desc(journeyVersions.version))
			.limit(1);
		// Behaviour only: both sides as the schema reads them, so layout or keys it does not know never mint a version.
		const created = !latest || !sameJson(behaviourOf(latest.definition), definition);
		const version = created ? (latest?.version ?? 0) + 1 : latest.version;
		if (created) await tx.insert(journeyVersions).values({ journeyId: id, version, definition, layout: readLayout(row.layout), publishedBy: by.publishedBy });
		const [journey] = await tx.update(journeys).set({ liveVersion: version, status: 'active', updatedAt: new Date() }).where(eq(journeys.id, id)).returning();
		if (by.actor)
			await recordAudit(tx, by.actor, { action: 'journey.publish', targetType: 'journey', targetId: id, details: { name: row.name, version, created } });
		return { journey: journey!, version, created };
	});
}

export type StatusAction = 'pause' | 'resume' | 'stop';

/**
 * Allowed moves. Repeating a move is harmless (pausing a paused journey answers the journey), so clients may
 * retry. `stop` is final: a stopped journey's enrollments are its history.
 */
const moves: Record<StatusAction, { from: readonly JourneyStatus[]; to: JourneyStatus }> = {
	pause: { from: ['active', 'paused'], to: 'paused' },
	resume: { from: ['paused', 'active'], to: 'active' },
	stop: { from: ['active', 'paused', 'stopped'], to: 'stopped' }
};

const refusals: Record<StatusAction, Partial<Record<JourneyStatus, string>>> = {
	pause: { draft: 'This journey has not been published, so there is nothing to pause.', stopped: 'This journey was stopped; it cannot be paused.' },
	resume: {
		draft: 'This journey has not been published yet; publish it to start it.',
		stopped: 'A stopped journey cannot be resumed; create a new journey instead.'
	},
	stop: { draft: 'This journey has not been published, so there is nothing to stop.' }
};

/**
 * Pause (no new entries; customers inside carry on), resume, or stop (final: no new entries ever). Ending the
 * customers inside on stop is the caller's job (it needs Temporal); see `activeEnrollmentIds`.
 */
export async function setStatus(db: Db, id: string, action: StatusAction, opts: { actor?: AuditActor } = {}): Promise<{ journey: Journey; changed: boolean }> {
	const move = moves[action];
	// Conditional update: a concurrent move between a read and a write cannot slip through. An archived
	// journey may still be paused or stopped, never resumed. The audit row commits with the change.
	const [updated] = await db.transaction(async (tx) => {
		const rows = await tx
			.update(journeys)
			.set({ status: move.to, updatedAt: new Date() })
			.where(
				and(
					eq(journeys.id, id),
					inArray(
						journeys.status,
						move.from.filter((s) => s !== move.to)
					),
					action === 'resume' ? isNull(journeys.archivedAt) : undefined
				)
			)
			.returning();
		const row = rows[0];
		if (row && opts.actor) await recordAudit(tx, opts.actor, { action: `journey.${action}`, targetType: 'journey', targetId: id, details: { name: row.name } });
		return rows;
	});
	if (updated) return { journey: updated, changed: true };
	const [current] = await db.select().from(journeys).where(eq(journeys.id, id));
	if (!current) throw journeyNotFound(id);
	if (current.status === move.to) return { journey: current, changed: false };
	if (action === 'resume' && current.archivedAt !== null) throw journeyArchived('be resumed');
	throw new JourneyError('invalid_transition', refusals[action][current.status] ?? `A ${current.status} journey cannot be changed that way.`);
}

/**
 * Archive (hide from the list, refuse publishing and entries) or bring back. A live journey is refused: customers
 * are entering it, so it must be paused or stopped first; customers already inside a paused journey finish.
 * Repeating either is harmless (`changed: false`).
 */
export async function setArchived(db: Db, id: string, archived: boolean, opts: { actor?: AuditActor } = {}): Promise<{ journey: Journey; changed: boolean }> {
	// Conditional update, so a publish or resume between a read and a write cannot leave a live journey archived.
	const [updated] = await db.transaction(async (tx) => {
		const rows = await tx
			.update(journeys)
			.set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() })
			.where(and(eq(journeys.id, id), archived ? and(isNull(journeys.archivedAt), ne(journeys.status, 'active')) : isNotNull(journeys.archivedAt)))
			.returning();
		const row = rows[0];
		if (row && opts.actor)
			await recordAudit(tx, opts.actor, {
				action: archived ? 'journey.archive' : 'journey.unarchive',
				targetType: 'journey',
				targetId: id,
				details: { name: row.name }
			});
		return rows;
	});
	if (updated) return { journey: updated, changed: true };
	const [current] = await db.select().from(journeys).where(eq(journeys.id, id));
	if (!current) throw journeyNotFound(id);
	if ((current.archivedAt !== null) === archived) return { journey: current, changed: false };
	throw new JourneyError('invalid_transition', 'This journey is live: pause or stop it before archiving it.');
}
