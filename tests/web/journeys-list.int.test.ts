import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { TEMPLATES } from '../../core/graph/templates/index';
import { dbKinds } from '../helpers/db';
import { startTestProduct, type TestProduct } from '../helpers/product';
import { addCustomer, addEnrollment, waitingJourney } from '../core/journeys/fixtures';

type Json = Record<string, unknown> & { error?: { code: string; message: string; details?: unknown } };
type Row = {
	id: string;
	name: string;
	status: string;
	archivedAt: string | null;
	enteredCount: number;
	activeCount: number;
	convertedCount: number;
	conversionRate: number | null;
};

describe.each(dbKinds())('journeys list, templates, duplicate and archive APIs on %s', (kind) => {
	let product: TestProduct;
	let marketer: string;
	let analyst: string;

	async function api(method: string, path: string, body?: unknown, key: string | null = marketer): Promise<{ status: number; body: Json }> {
		const res = await fetch(`${product.url}/api/v1${path}`, {
			method,
			headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		return { status: res.status, body: (await res.json()) as Json };
	}
	const list = async (qs: string) => (await api('GET', `/journeys?${qs}`)).body as unknown as { items: Row[]; total: number };

	beforeAll(async () => {
		product = await startTestProduct(kind);
		marketer = (await createApiKey(product.db.db, { name: 'builder', kind: 'secret', role: 'marketer' })).key;
		analyst = (await createApiKey(product.db.db, { name: 'reports', kind: 'secret', role: 'analyst' })).key;
	});
	afterAll(async () => product?.stop());

	it('lists the templates for readers, in gallery order, each with its steps and definition', async () => {
		expect((await api('GET', '/journey-templates', undefined, null)).status).toBe(401);
		const { status, body } = await api('GET', '/journey-templates', undefined, analyst);
		expect(status).toBe(200);
		const items = body.items as { id: string; name: string; channels: string[]; steps: { label: string }[]; definition: unknown }[];
		expect(items.map((t) => t.id)).toEqual(TEMPLATES.map((t) => t.id));
		const cart = items.find((t) => t.id === 'abandonedCart')!;
		expect(cart).toMatchObject({ name: 'Abandoned cart', channels: ['email', 'sms'] });
		expect(cart.steps[0]).toMatchObject({ label: 'Updated their cart', type: 'trigger' });
		expect(cart.definition).toEqual(TEMPLATES.find((t) => t.id === 'abandonedCart')!.build());
	});

	it('creates a journey from every template id, each valid and publishable at once; refuses an unknown one', async () => {
		for (const t of TEMPLATES) {
			const created = await api('POST', '/journeys', { name: `From ${t.id}`, template: t.id });
			expect(created).toMatchObject({ status: 201, body: { validation: { ok: true, problems: [] } } });
			const id = (created.body.journey as { id: string }).id;
			expect((await api('POST', `/journeys/${id}/publish`)).status).toBe(201);
		}
		const unknown = await api('POST', '/journeys', { name: 'x', template: 'nope' });
		expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', details: [{ path: 'template' }] } } });
	});

	it('duplicates as a new draft “… (copy)” with the same draft and layout; writers only', async () => {
		const created = await api('POST', '/journeys', { name: 'Original', description: 'To copy', definition: waitingJourney() });
		const id = (created.body.journey as { id: string }).id;
		await api('PATCH', `/journeys/${id}`, { layout: { nodes: { wait: { x: 100, y: 200 } } } });
		expect((await api('POST', `/journeys/${id}/duplicate`, undefined, analyst)).status).toBe(403);
		expect((await api('POST', '/journeys/missing/duplicate')).body.error?.code).toBe('not_found');

		const copy = await api('POST', `/journeys/${id}/duplicate`);
		expect(copy).toMatchObject({
			status: 201,
			body: { journey: { name: 'Original (copy)', description: 'To copy', status: 'draft', draft: waitingJourney() }, validation: { ok: true } }
		});
		const copyId = (copy.body.journey as { id: string }).id;
		expect(copyId).not.toBe(id);
		expect((await api('GET', `/journeys/${copyId}`)).body.journey).toMatchObject({ layout: { nodes: { wait: { x: 100, y: 200 } } } });
		expect((await api('POST', `/journeys/${id}/duplicate`, { name: 'Named copy' })).body.journey).toMatchObject({ name: 'Named copy' });
		expect((await api('POST', `/journeys/${id}/duplicate`, { name: ' ' })).body.error).toMatchObject({ code: 'invalid_request', details: [{ path: 'name' }] });
	});

	it('archives and unarchives: refused while live, hidden by default, listed with archived=only, never published meanwhile', async () => {
		const created = await api('POST', '/journeys', { name: 'Seasonal', definition: waitingJourney() });
		const id = (created.body.journey as { id: string }).id;
		await api('POST', `/journeys/${id}/publish`);
		expect((await api('POST', `/journeys/${id}/archive`, undefined, analyst)).status).toBe(403);
		const live = await api('POST', `/journeys/${id}/archive`);
		expect(live).toMatchObject({
			status: 409,
			body: { error: { code: 'invalid_transition', message: 'This journey is live: pause or stop it before archiving it.' } }
		});

		await api('POST', `/journeys/${id}/stop`);
		const archived = await api('POST', `/journeys/${id}/archive`);
		expect(archived).toMatchObject({ status: 200, body: { changed: true, journey: { id, status: 'stopped' } } });
		expect((archived.body.journey as Row).archivedAt).toEqual(expect.any(String));
		expect((await api('POST', `/journeys/${id}/archive`)).body).toMatchObject({ changed: false });

		expect((await list('q=Seasonal')).items).toEqual([]);
		expect((await list('q=Seasonal&archived=only')).items.map((j) => j.name)).toEqual(['Seasonal']);
		expect((await list('q=Seasonal&archived=include')).total).toBe(1);
		expect((await api('GET', '/journeys?archived=maybe')).status).toBe(400);

		const draft = await api('POST', '/journeys', { name: 'Shelved draft', definition: waitingJourney() });
		const draftId = (draft.body.journey as { id: string }).id;
		await api('POST', `/journeys/${draftId}/archive`);
		const publish = await api('POST', `/journeys/${draftId}/publish`);
		expect(publish).toMatchObject({
			status: 409,
			body: { error: { code: 'journey_archived', message: 'This journey is archived, so it cannot be published. Unarchive it first.' } }
		});

		expect((await api('POST', `/journeys/${draftId}/unarchive`)).body).toMatchObject({ changed: true, journey: { archivedAt: null } });
		expect((await api('POST', `/journeys/${draftId}/publish`)).status).toBe(201);
	});

	it('counts entered, active and converted customers with the conversion rate', async () => {
		const created = await api('POST', '/journeys', { name: 'Counted', definition: waitingJourney() });
		const id = (created.body.journey as { id: string }).id;
		for (const c of ['ann', 'bob', 'cy']) await addCustomer(product.db, c);
		await addEnrollment(product.db, { journeyId: id, customerId: 'ann', status: 'converted' });
		await addEnrollment(product.db, { journeyId: id, customerId: 'bob', status: 'active' });
		await addEnrollment(product.db, { journeyId: id, customerId: 'cy', status: 'exited' });
		const [row] = (await list('q=Counted')).items;
		expect(row).toMatchObject({ enteredCount: 3, activeCount: 1, convertedCount: 1 });
		expect(row!.conversionRate).toBeCloseTo(1 / 3);
		expect(row).not.toHaveProperty('draft');
	});
});
