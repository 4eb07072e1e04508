import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import {
	JourneyError,
	createJourney,
	getJourney,
	getVersion,
	hasUnpublishedChanges,
	listVersions,
	publish,
	setStatus,
	updateDraft
} from '../../../core/journeys/index';
import { dbKinds, freshDb } from '../../helpers/db';
import { addEnrollment, brokenJourney, waitingJourney } from './fixtures';

const by = { publishedBy: 'marketer@example.test' };

describe.each(dbKinds())('publishing and status on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => void (h = await freshDb(kind)));
	afterAll(() => h.close());

	it('refuses to publish an invalid draft, with every problem, and changes nothing', async () => {
		const { journey } = await createJourney(h.db, { name: 'Broken', definition: brokenJourney() });
		const err = await publish(h.db, journey.id, by).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(JourneyError);
		expect(err).toMatchObject({ code: 'invalid_journey' });
		const problems = (err as JourneyError).problems!;
		expect(problems.map((p) => p.code).sort()).toEqual(['missing_branch', 'unreachable_node']);
		expect(problems.find((p) => p.code === 'missing_branch')).toMatchObject({ nodeId: 'wait', stepLabel: 'Give it a day' });
		expect(await getJourney(h.db, journey.id)).toMatchObject({ status: 'draft', liveVersion: null });
		expect(await listVersions(h.db, journey.id)).toEqual([]);
	});

	it('publishes immutable versions n+1 and makes the newest live; an unchanged draft re-uses its version', async () => {
		const { journey } = await createJourney(h.db, { name: 'Versions', definition: waitingJourney() });
		const v1 = await publish(h.db, journey.id, by);
		expect(v1).toMatchObject({ version: 1, created: true, journey: { status: 'active', liveVersion: 1 } });
		// A double click: same draft, no new version.
		expect(await publish(h.db, journey.id, by)).toMatchObject({ version: 1, created: false });

		// Keys the schema does not know are not changes; a new label is.
		await updateDraft(h.db, journey.id, { draft: { ...waitingJourney(), note: 'scratch' } });
		expect(await hasUnpublishedChanges(h.db, await getJourney(h.db, journey.id))).toBe(false);
		const changed = waitingJourney();
		changed.nodes[1]!.label = 'Give it two days';
		await updateDraft(h.db, journey.id, { draft: changed });
		expect(await hasUnpublishedChanges(h.db, await getJourney(h.db, journey.id))).toBe(true);
		expect(await publish(h.db, journey.id, { publishedBy: null })).toMatchObject({ version: 2, created: true, journey: { liveVersion: 2 } });

		await updateDraft(h.db, journey.id, { draft: brokenJourney() });
		const first = await getVersion(h.db, journey.id, 1);
		expect(first.definition).toEqual(waitingJourney());
		expect(first.publishedBy).toBe('marketer@example.test');
		await addEnrollment(h, { journeyId: journey.id, customerId: 'x', version: 1 });
		const versions = await listVersions(h.db, journey.id);
		expect(versions.map((v) => [v.version, v.live, v.enrollmentCount])).toEqual([
			[2, true, 0],
			[1, false, 1]
		]);
		await expect(getVersion(h.db, journey.id, 3)).rejects.toMatchObject({ code: 'not_found' });
	});

	it('never mints the same version twice under concurrent publishes', async () => {
		const { journey } = await createJourney(h.db, { name: 'Race', definition: waitingJourney() });
		const results = await Promise.all([publish(h.db, journey.id, by), publish(h.db, journey.id, by), publish(h.db, journey.id, by)]);
		expect(results.map((r) => r.version)).toEqual([1, 1, 1]);
		expect(results.filter((r) => r.created)).toHaveLength(1);
	});

	it('pauses, resumes and stops; repeats are harmless; a stopped journey stays stopped', async () => {
		const { journey } = await createJourney(h.db, { name: 'Lifecycle', definition: waitingJourney() });
		await expect(setStatus(h.db, journey.id, 'pause')).rejects.toMatchObject({ code: 'invalid_transition' });
		await expect(setStatus(h.db, journey.id, 'stop')).rejects.toMatchObject({ code: 'invalid_transition' });
		await publish(h.db, journey.id, by);

		expect(await setStatus(h.db, journey.id, 'pause')).toMatchObject({ changed: true, journey: { status: 'paused' } });
		expect(await setStatus(h.db, journey.id, 'pause')).toMatchObject({ changed: false, journey: { status: 'paused' } });
		expect(await setStatus(h.db, journey.id, 'resume')).toMatchObject({ changed: true, journey: { status: 'active', liveVersion: 1 } });
		await setStatus(h.db, journey.id, 'pause');
		// Publishing a paused journey puts it live again.
		expect((await publish(h.db, journey.id, by)).journey.status).toBe('active');

		expect(await setStatus(h.db, journey.id, 'stop')).toMatchObject({ changed: true, journey: { status: 'stopped' } });
		expect(await setStatus(h.db, journey.id, 'stop')).toMatchObject({ changed: false });
		const resume = await setStatus(h.db, journey.id, 'resume').catch((e: unknown) => e);
		expect(resume).toMatchObject({ code: 'invalid_transition' });
		expect((resume as Error).message).toContain('cannot be resumed');
		await expect(setStatus(h.db, journey.id, 'pause')).rejects.toMatchObject({ code: 'invalid_transition' });
		await expect(publish(h.db, journey.id, by)).rejects.toMatchObject({ code: 'invalid_transition' });
		await expect(setStatus(h.db, 'missing', 'pause')).rejects.toMatchObject({ code: 'not_found' });
	});
});
