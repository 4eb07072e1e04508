import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { JourneyError, createJourney, getJourney, getVersion, hasUnpublishedChanges, publish, updateDraft } from '../../../core/journeys/index';
import { dbKinds, freshDb } from '../../helpers/db';
import { waitingJourney } from './fixtures';

const by = { publishedBy: null };

describe.each(dbKinds())('layout beside the definition on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => void (h = await freshDb(kind)));
	afterAll(() => h.close());

	it('moving nodes and the viewport never mints a version; the version keeps the layout it was published with', async () => {
		const { journey } = await createJourney(h.db, { name: 'Layout', definition: waitingJourney() });
		const ids = waitingJourney().nodes.map((n) => n.id);
		const first = { nodes: Object.fromEntries(ids.map((id, i) => [id, { x: 0, y: i * 120 }])) };
		await updateDraft(h.db, journey.id, { layout: first });
		expect(await publish(h.db, journey.id, by)).toMatchObject({ version: 1, created: true });

		const moved = { nodes: Object.fromEntries(ids.map((id, i) => [id, { x: 300, y: i * 200 }])), viewport: { x: 10, y: 20, zoom: 0.8 } };
		await updateDraft(h.db, journey.id, { layout: moved });
		expect(await hasUnpublishedChanges(h.db, await getJourney(h.db, journey.id))).toBe(false);
		expect(await publish(h.db, journey.id, by)).toMatchObject({ version: 1, created: false });
		expect((await getVersion(h.db, journey.id, 1)).layout).toEqual(first);
		expect((await getJourney(h.db, journey.id)).layout).toEqual(moved);
	});

	it('moves positions found inside a pasted draft into the layout and keeps them out of the definition', async () => {
		const withPositions = waitingJourney();
		const raw = { ...withPositions, nodes: withPositions.nodes.map((n, i) => ({ ...n, position: { x: i, y: i * 2 } })) };
		const { journey } = await createJourney(h.db, { name: 'Pasted', definition: raw });
		expect((journey.draft as { nodes: object[] }).nodes.every((n) => !('position' in n))).toBe(true);
		expect(journey.layout).toEqual({ nodes: Object.fromEntries(withPositions.nodes.map((n, i) => [n.id, { x: i, y: i * 2 }])) });
		await publish(h.db, journey.id, by);
		expect((await getVersion(h.db, journey.id, 1)).definition).toEqual(waitingJourney());
	});

	it('refuses a save based on an older revision, names the current one, and keeps the newer save', async () => {
		const { journey } = await createJourney(h.db, { name: 'Two tabs', definition: waitingJourney() });
		const tabA = journey.revision;
		const changed = waitingJourney();
		changed.nodes[1]!.label = 'Saved by tab A';
		const saved = await updateDraft(h.db, journey.id, { draft: changed, baseRevision: tabA });
		expect(saved.journey.revision).toBe(tabA + 1);

		const stale = waitingJourney();
		stale.nodes[1]!.label = 'Saved by tab B';
		const err = await updateDraft(h.db, journey.id, { draft: stale, baseRevision: tabA }).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(JourneyError);
		expect(err).toMatchObject({ code: 'draft_conflict', details: { revision: tabA + 1 } });
		expect(((await getJourney(h.db, journey.id)).draft as { nodes: { label?: string }[] }).nodes[1]!.label).toBe('Saved by tab A');
	});
});
