import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { journeys } from '../../../core/db/schema/journeys';
import { TEMPLATES } from '../../../core/graph/templates/index';
import {
	JOURNEY_TEMPLATES,
	JourneyError,
	ListJourneysQuery,
	createJourney,
	duplicateJourney,
	getJourney,
	listJourneys,
	publish,
	setArchived,
	setStatus,
	updateDraft
} from '../../../core/journeys/index';
import { TriggerCache } from '../../../core/routing/triggers';
import { eq } from 'drizzle-orm';
import { dbKinds, freshDb } from '../../helpers/db';
import { addCustomer, addEnrollment, waitingJourney } from './fixtures';

const query = (over: Partial<ListJourneysQuery> = {}) => ListJourneysQuery.parse(over);

async function refusal(p: Promise<unknown>): Promise<JourneyError> {
	const err = await p.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(JourneyError);
	return err as JourneyError;
}

describe.each(dbKinds())('templates, duplicates, archive and list counts on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => void (h = await freshDb(kind)));
	afterAll(() => h.close());

	it('creates a journey from every template, each valid and publishable as is', async () => {
		expect([...JOURNEY_TEMPLATES]).toEqual(TEMPLATES.map((t) => t.id));
		for (const t of TEMPLATES) {
			const { journey, validation } = await createJourney(h.db, { name: t.name, template: t.id });
			expect(validation).toEqual({ ok: true, problems: [] });
			expect(journey.draft).toEqual(t.build());
			const published = await publish(h.db, journey.id, { publishedBy: null });
			expect(published).toMatchObject({ version: 1, created: true, journey: { status: 'active' } });
		}
		await expect(createJourney(h.db, { name: 'x', template: 'nope' as 'blank' })).rejects.toThrow();
	});

	it('duplicates the draft and layout as a new draft named “… (copy)”, leaving versions and status behind', async () => {
		const { journey: original } = await createJourney(h.db, { name: 'Spring', description: 'Ad clicks', template: 'adToStore' });
		await updateDraft(h.db, original.id, { layout: { nodes: { trigger: { x: 10, y: 20 } }, viewport: { x: 0, y: 0, zoom: 1 } } });
		await publish(h.db, original.id, { publishedBy: null });
		const { journey: copy, validation } = await duplicateJourney(h.db, original.id);
		const source = await getJourney(h.db, original.id);
		expect(copy).toMatchObject({ name: 'Spring (copy)', description: 'Ad clicks', status: 'draft', liveVersion: null, revision: 0, archivedAt: null });
		expect(copy.id).not.toBe(original.id);
		expect(copy.draft).toEqual(source.draft);
		expect(copy.layout).toEqual(source.layout);
		expect(validation.ok).toBe(true);
		expect((await duplicateJourney(h.db, original.id, { name: '  Autumn  ' })).journey.name).toBe('Autumn');
		const long = await createJourney(h.db, { name: 'x'.repeat(200) });
		expect((await duplicateJourney(h.db, long.journey.id)).journey.name).toBe(`${'x'.repeat(193)} (copy)`);
		expect((await refusal(duplicateJourney(h.db, 'missing'))).code).toBe('not_found');
	});

	it('archives only a journey that is not live; an archived one is hidden, cannot be published or resumed, and comes back', async () => {
		const { journey } = await createJourney(h.db, { name: 'Old promo', definition: waitingJourney() });
		await publish(h.db, journey.id, { publishedBy: null });
		const live = await refusal(setArchived(h.db, journey.id, true));
		expect(live).toMatchObject({ code: 'invalid_transition', message: expect.stringContaining('pause or stop it') });

		await setStatus(h.db, journey.id, 'pause');
		const archived = await setArchived(h.db, journey.id, true);
		expect(archived).toMatchObject({ changed: true, journey: { status: 'paused' } });
		expect(archived.journey.archivedAt).toBeInstanceOf(Date);
		expect((await setArchived(h.db, journey.id, true)).changed).toBe(false);

		expect((await refusal(publish(h.db, journey.id, { publishedBy: null }))).code).toBe('journey_archived');
		const resume = await refusal(setStatus(h.db, journey.id, 'resume'));
		expect(resume).toMatchObject({ code: 'journey_archived', message: 'This journey is archived, so it cannot be resumed. Unarchive it first.' });
		expect((await getJourney(h.db, journey.id)).status).toBe('paused');

		const names = async (over: Partial<ListJourneysQuery>) => (await listJourneys(h.db, query({ q: 'Old promo', ...over }))).items.map((j) => j.name);
		expect(await names({})).toEqual([]);
		expect(await names({ archived: 'only' })).toEqual(['Old promo']);
		expect(await names({ archived: 'include' })).toEqual(['Old promo']);

		expect(await setArchived(h.db, journey.id, false)).toMatchObject({ changed: true, journey: { archivedAt: null, status: 'paused' } });
		expect((await setArchived(h.db, journey.id, false)).changed).toBe(false);
		expect(await names({})).toEqual(['Old promo']);
		expect((await setStatus(h.db, journey.id, 'resume')).journey.status).toBe('active');
		expect((await refusal(setArchived(h.db, 'missing', true))).code).toBe('not_found');
	});

	it('never routes to an archived journey, even one left active by hand', async () => {
		const { journey } = await createJourney(h.db, { name: 'Routed', definition: waitingJourney() });
		await publish(h.db, journey.id, { publishedBy: null });
		expect((await new TriggerCache(h.db).get()).byId.has(journey.id)).toBe(true);
		await h.db.update(journeys).set({ archivedAt: new Date() }).where(eq(journeys.id, journey.id));
		expect((await new TriggerCache(h.db).get()).byId.has(journey.id)).toBe(false);
	});

	it('counts entered, active and converted customers per journey, with the conversion rate', async () => {
		const { journey } = await createJourney(h.db, { name: 'Counted journey', definition: waitingJourney() });
		const { journey: empty } = await createJourney(h.db, { name: 'Counted nobody' });
		await publish(h.db, journey.id, { publishedBy: null });
		for (const c of ['k1', 'k2', 'k3', 'k4']) await addCustomer(h, c);
		await addEnrollment(h, { journeyId: journey.id, customerId: 'k1', status: 'active' });
		await addEnrollment(h, { journeyId: journey.id, customerId: 'k2', status: 'converted' });
		await addEnrollment(h, { journeyId: journey.id, customerId: 'k3', status: 'completed' });
		await addEnrollment(h, { journeyId: journey.id, customerId: 'k4', status: 'converted' });
		await addEnrollment(h, { journeyId: journey.id, customerId: 'k4', n: 2, status: 'active' });
		const { items, total } = await listJourneys(h.db, query({ q: 'Counted', sort: 'name', dir: 'asc' }));
		expect(total).toBe(2);
		expect(
			items.map(({ name, enteredCount, activeCount, convertedCount, conversionRate }) => ({ name, enteredCount, activeCount, convertedCount, conversionRate }))
		).toEqual([
			{ name: 'Counted journey', enteredCount: 5, activeCount: 2, convertedCount: 2, conversionRate: 0.4 },
			{ name: 'Counted nobody', enteredCount: 0, activeCount: 0, convertedCount: 0, conversionRate: null }
		]);
		expect(items[1]!.id).toBe(empty.id);
		expect(items[0]).not.toHaveProperty('draft');
	});
});
