import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { dbKinds } from '../helpers/db';
import { startTestProduct, type TestProduct } from '../helpers/product';
import { addCustomer, addEnrollment, addStep, brokenJourney, waitingJourney } from '../core/journeys/fixtures';

type Json = Record<string, unknown> & { error?: { code: string; message: string; details?: unknown } };

/** Polls until `check` returns a value (or gives up after `ms`), for state the worker writes asynchronously. */
async function eventually<T>(check: () => Promise<T | undefined>, ms = 20_000): Promise<T | undefined> {
	const until = Date.now() + ms;
	for (;;) {
		const value = await check();
		if (value !== undefined || Date.now() > until) return value;
		await new Promise((r) => setTimeout(r, 250));
	}
}

describe.each(dbKinds())('journeys API on %s', (kind) => {
	let product: TestProduct;
	let marketer: string;
	let analyst: string;

	/** Calls the API as the marketer (or `as`), answering status and parsed body. */
	async function api(
		method: string,
		path: string,
		body?: unknown,
		as?: string | null,
		headers: Record<string, string> = {}
	): Promise<{ status: number; body: Json }> {
		const key = as === undefined ? marketer : as;
		const res = await fetch(`${product.url}/api/v1${path}`, {
			method,
			headers: { ...headers, ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		return { status: res.status, body: (await res.json()) as Json };
	}

	beforeAll(async () => {
		product = await startTestProduct(kind);
		marketer = (await createApiKey(product.db.db, { name: 'builder', kind: 'secret', role: 'marketer' })).key;
		analyst = (await createApiKey(product.db.db, { name: 'reports', kind: 'secret', role: 'analyst' })).key;
		await addCustomer(product.db, 'ann', [{ kind: 'email', value: 'ann@example.test' }]);
		await addCustomer(product.db, 'bob', [{ kind: 'userId', value: 'U-bob' }]);
		await addCustomer(product.db, 'cy');
	});
	afterAll(async () => product?.stop());

	it('guards every route: 401 without a key, 403 for a role that may only read, 404 for unknown journeys', async () => {
		expect((await api('GET', '/journeys', undefined, null)).status).toBe(401);
		expect((await api('GET', '/journeys', undefined, analyst)).status).toBe(200);
		const denied = await api('POST', '/journeys', { name: 'x' }, analyst);
		expect(denied).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
		expect((await api('GET', '/journeys/nope')).body.error?.code).toBe('not_found');
		expect((await api('POST', '/journeys', { name: '' })).body.error).toMatchObject({ code: 'invalid_request', details: [{ path: 'name' }] });
		expect((await api('GET', '/journeys?sort=draft')).status).toBe(400);
	});

	it('runs a journey from draft to stop: validate, publish, enter customers by hand, pause, stop and end', async () => {
		// Create with a draft that is not ready yet.
		const created = await api('POST', '/journeys', { name: 'Welcome', definition: brokenJourney() });
		expect(created.status).toBe(201);
		const id = (created.body.journey as { id: string }).id;
		expect(created.body.validation).toMatchObject({ ok: false });

		const validated = await api('POST', `/journeys/${id}/validate`);
		const problems = (validated.body as { problems: { code: string; stepLabel?: string; message: string }[] }).problems;
		expect(problems.map((p) => p.code).sort()).toEqual(['missing_branch', 'unreachable_node']);
		expect(problems.find((p) => p.code === 'missing_branch')).toMatchObject({ stepLabel: 'Give it a day' });
		expect((await api('POST', `/journeys/${id}/validate`, { definition: waitingJourney() })).body).toEqual({ ok: true, problems: [] });

		const refused = await api('POST', `/journeys/${id}/publish`);
		expect(refused.status).toBe(422);
		expect(refused.body.error).toMatchObject({ code: 'invalid_journey' });
		expect((refused.body.error!.details as unknown[]).length).toBe(2);

		const patched = await api('PATCH', `/journeys/${id}`, { draft: waitingJourney(), description: 'Say hello' });
		expect(patched).toMatchObject({ status: 200, body: { journey: { description: 'Say hello' }, validation: { ok: true } } });
		const published = await api('POST', `/journeys/${id}/publish`);
		expect(published).toMatchObject({ status: 201, body: { version: 1, created: true, journey: { status: 'active', liveVersion: 1 } } });

		const versions = await api('GET', `/journeys/${id}/versions`);
		expect(versions.body.items).toMatchObject([{ version: 1, live: true, publishedBy: 'key:builder' }]);
		expect((await api('GET', `/journeys/${id}/versions/1`)).body).toMatchObject({ version: 1, definition: waitingJourney() });
		expect((await api('GET', `/journeys/${id}/versions/2`)).status).toBe(404);

		// Manual entry, by e-mail; the same customer again is refused while inside.
		const entered = await api('POST', `/journeys/${id}/enrollments`, { email: 'ANN@example.test', properties: { source: 'test' } });
		expect(entered).toMatchObject({ status: 202, body: { enrollmentId: `journey:${id}:ann:1`, n: 1 } });
		// An entry sent twice under one Idempotency-Key answers the same enrollment instead of a refusal.
		const keyed = { 'idempotency-key': 'retry-1' };
		const once = await api('POST', `/journeys/${id}/enrollments`, { customerId: 'cy' }, undefined, keyed);
		expect(once).toMatchObject({ status: 202, body: { enrollmentId: `journey:${id}:cy:1` } });
		expect(await api('POST', `/journeys/${id}/enrollments`, { customerId: 'cy' }, undefined, keyed)).toMatchObject({ status: 202, body: once.body });
		const again = await api('POST', `/journeys/${id}/enrollments`, { customerId: 'ann' });
		expect(again).toMatchObject({ status: 409, body: { error: { code: 'already_enrolled' } } });
		expect((await api('POST', `/journeys/${id}/enrollments`, { email: 'nobody@example.test' })).body.error?.code).toBe('customer_not_found');

		const listed = await api('GET', `/journeys/${id}/enrollments?status=active&pageSize=1&page=2`);
		expect(listed.body).toMatchObject({
			total: 2,
			items: [{ id: `journey:${id}:ann:1`, customerId: 'ann', customerEmail: 'ann@example.test', version: 1, status: 'active' }]
		});

		// The interpreter reaches the day-long wait and records it; the live state comes from the workflow.
		const enrollmentPath = `/journeys/${id}/enrollments/${encodeURIComponent(`journey:${id}:ann:1`)}`;
		const atWait = await eventually(async () => {
			const res = await api('GET', enrollmentPath);
			const state = res.body.state as { currentNodeId: string | null; source: string } | undefined;
			return state?.source === 'workflow' && state.currentNodeId === 'wait' ? res.body : undefined;
		});
		expect(atWait).toMatchObject({ state: { source: 'workflow', currentStepLabel: 'Give it a day', status: 'active' } });
		const listedAgain = await api('GET', `/journeys/${id}/enrollments`);
		expect((listedAgain.body.items as { customerId: string }[]).find((e) => e.customerId === 'ann')).toMatchObject({ currentStepLabel: 'Give it a day' });

		// Paused: no new entries, the customer inside stays.
		expect(await api('POST', `/journeys/${id}/pause`)).toMatchObject({ status: 200, body: { changed: true, journey: { status: 'paused' } } });
		const whilePaused = await api('POST', `/journeys/${id}/enrollments`, { userId: 'U-bob' });
		expect(whilePaused).toMatchObject({ status: 409, body: { error: { code: 'journey_not_active' } } });
		expect((await api('GET', `/journeys/${id}/enrollments?status=active`)).body.total).toBe(2);

		// Stop and end: the customer inside leaves, recorded by their workflow.
		expect(await api('POST', `/journeys/${id}/stop`, { mode: 'end' })).toMatchObject({ status: 200, body: { ended: 2, journey: { status: 'stopped' } } });
		expect((await api('POST', `/journeys/${id}/resume`)).body.error?.code).toBe('invalid_transition');
		const exited = await eventually(async () => {
			const res = await api('GET', `/journeys/${id}/enrollments?status=active`);
			return res.body.total === 0 ? (await api('GET', `/journeys/${id}/enrollments`)).body.items : undefined;
		});
		expect(exited).toMatchObject([
			{ status: 'exited', exitReason: 'journey stopped' },
			{ status: 'exited', exitReason: 'journey stopped' }
		]);
		// A finished enrollment still shows where it ended and the steps it took.
		const finished = await api('GET', enrollmentPath);
		expect(finished.body).toMatchObject({ enrollment: { status: 'exited' }, state: { status: 'exited' } });
		expect((finished.body.steps as { kind: string }[]).map((s) => s.kind)).toContain('exited');
	});

	it('falls back to the step log when the enrollment has no workflow to ask', async () => {
		const { body } = await api('POST', '/journeys', { name: 'Imported', definition: waitingJourney() });
		const id = (body.journey as { id: string }).id;
		await api('POST', `/journeys/${id}/publish`);
		const enrollmentId = await addEnrollment(product.db, { journeyId: id, customerId: 'ann', currentNodeId: 'wait' });
		await addStep(product.db, enrollmentId, id, 'ann', 'wait', new Date());
		const res = await api('GET', `/journeys/${id}/enrollments/${encodeURIComponent(enrollmentId)}`);
		expect(res.body.state).toMatchObject({
			source: 'step_log',
			status: 'active',
			currentStepLabel: 'Give it a day',
			path: [{ nodeId: 'wait', stepLabel: 'Give it a day' }]
		});
		expect((await api('GET', `/journeys/${id}/enrollments/nope`)).status).toBe(404);
	});

	it('lists journeys with their counts', async () => {
		const res = await api('GET', '/journeys?sort=name&dir=asc');
		expect(res.status).toBe(200);
		expect(res.body.items).toMatchObject([
			{ name: 'Imported', status: 'active', liveVersion: 1, activeCount: 1 },
			{ name: 'Welcome', status: 'stopped', liveVersion: 1, activeCount: 0 }
		]);
	});
});
