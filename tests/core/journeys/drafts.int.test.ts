import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { adToStoreJourney } from '../../../core/graph/examples';
import {
	JourneyError,
	ListJourneysQuery,
	createJourney,
	getJourney,
	getJourneyWithValidation,
	listJourneys,
	updateDraft,
	validateDraft
} from '../../../core/journeys/index';
import { dbKinds, freshDb } from '../../helpers/db';
import { addEnrollment, brokenJourney, waitingJourney } from './fixtures';

const query = (over: Partial<ListJourneysQuery> = {}) => ListJourneysQuery.parse(over);

describe.each(dbKinds())('journey drafts on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => void (h = await freshDb(kind)));
	afterAll(() => h.close());

	it('starts a new journey from a valid minimal draft: manual trigger → exit, never re-enter', async () => {
		const { journey, validation } = await createJourney(h.db, { name: '  Welcome  ' });
		expect(journey).toMatchObject({ name: 'Welcome', description: '', status: 'draft', liveVersion: null });
		expect(validation).toEqual({ ok: true, problems: [] });
		expect(journey.draft).toMatchObject({
			nodes: [{ type: 'trigger', entry: { kind: 'manual' } }, { type: 'exit' }],
			settings: { reentry: { mode: 'never' }, exitCriteria: [] }
		});
	});

	it('starts from the ad → email → SMS → store template as a copy of it', async () => {
		const { journey, validation } = await createJourney(h.db, { name: 'Ad to store', template: 'adToStore' });
		expect(validation.ok).toBe(true);
		expect(journey.draft).toEqual(adToStoreJourney);
		await updateDraft(h.db, journey.id, { draft: { ...adToStoreJourney, nodes: [] } });
		expect(adToStoreJourney.nodes.length).toBeGreaterThan(0);
	});

	it('saves any JSON as a draft and answers its problems in words, with the step they concern', async () => {
		const { journey } = await createJourney(h.db, { name: 'Work in progress', definition: brokenJourney() });
		const saved = await updateDraft(h.db, journey.id, { draft: brokenJourney(), description: 'Half done' });
		expect(saved.journey.description).toBe('Half done');
		expect(saved.validation.ok).toBe(false);
		const missing = saved.validation.problems.find((p) => p.code === 'missing_branch');
		expect(missing).toMatchObject({ nodeId: 'wait', stepLabel: 'Give it a day' });
		expect(missing!.message).toContain('Give it a day');
		expect(saved.validation.problems.map((p) => p.code)).toContain('unreachable_node');

		const garbage = await updateDraft(h.db, journey.id, { draft: 'not a journey' });
		expect(garbage.journey.draft).toBe('not a journey');
		expect(garbage.validation.problems).toEqual([{ code: 'invalid_definition', message: 'This is not a journey definition.' }]);
		await expect(validateDraft(h.db, journey.id)).resolves.toMatchObject({ ok: false });

		const fixed = await updateDraft(h.db, journey.id, { draft: waitingJourney() });
		expect(fixed.validation).toEqual({ ok: true, problems: [] });
		expect((await getJourneyWithValidation(h.db, journey.id)).validation.ok).toBe(true);
	});

	it('reports a trigger on a segment that does not exist', async () => {
		const def = waitingJourney();
		def.nodes[0] = { id: 'trigger', type: 'trigger', entry: { kind: 'segment', segmentId: 'vip' } };
		const { validation } = await createJourney(h.db, { name: 'Segment', definition: def });
		expect(validation.problems.map((p) => p.code)).toEqual(['unknown_segment']);
	});

	it('refuses unknown ids with a typed not_found error', async () => {
		await expect(getJourney(h.db, 'nope')).rejects.toMatchObject({ code: 'not_found' });
		await expect(updateDraft(h.db, 'nope', { name: 'x' })).rejects.toBeInstanceOf(JourneyError);
	});
});

describe.each(dbKinds())('journeys list on %s', (kind) => {
	let h: DbHandle;
	const ids: Record<string, string> = {};
	beforeAll(async () => {
		h = await freshDb(kind);
		for (const name of ['Cart rescue', 'Birthday', 'Ad to store']) ids[name] = (await createJourney(h.db, { name })).journey.id;
		const j = ids['Cart rescue']!;
		await addEnrollment(h, { journeyId: j, customerId: 'a' });
		await addEnrollment(h, { journeyId: j, customerId: 'b' });
		await addEnrollment(h, { journeyId: j, customerId: 'c', status: 'converted' });
		await addEnrollment(h, { journeyId: j, customerId: 'd', status: 'exited' });
		await addEnrollment(h, { journeyId: ids['Birthday']!, customerId: 'a', status: 'converted' });
	});
	afterAll(() => h.close());

	it('counts active and converted customers per journey, without the drafts', async () => {
		const page = await listJourneys(h.db, query({ sort: 'name', dir: 'asc' }));
		expect(page).toMatchObject({ total: 3, page: 1, pageSize: 25 });
		expect(page.items.map((j) => [j.name, j.activeCount, j.convertedCount])).toEqual([
			['Ad to store', 0, 0],
			['Birthday', 0, 1],
			['Cart rescue', 2, 1]
		]);
		expect(page.items[0]).not.toHaveProperty('draft');
	});

	it('pages, sorts both ways, filters by status and searches names', async () => {
		const first = await listJourneys(h.db, query({ sort: 'name', dir: 'desc', pageSize: 2 }));
		const second = await listJourneys(h.db, query({ sort: 'name', dir: 'desc', pageSize: 2, page: 2 }));
		expect([...first.items, ...second.items].map((j) => j.name)).toEqual(['Cart rescue', 'Birthday', 'Ad to store']);
		expect(second.total).toBe(3);
		expect((await listJourneys(h.db, query({ status: 'active' }))).total).toBe(0);
		expect((await listJourneys(h.db, query({ q: 'birth' }))).items.map((j) => j.name)).toEqual(['Birthday']);
		expect((await listJourneys(h.db, query({ q: '%' }))).total).toBe(0);
	});

	it('parses list queries from strings and refuses unknown sorts', () => {
		expect(ListJourneysQuery.parse({ page: '2', pageSize: '10' })).toMatchObject({ page: 2, pageSize: 10, sort: 'updatedAt', dir: 'desc' });
		expect(ListJourneysQuery.safeParse({ sort: 'draft' }).success).toBe(false);
		expect(ListJourneysQuery.safeParse({ pageSize: '1000' }).success).toBe(false);
	});
});
