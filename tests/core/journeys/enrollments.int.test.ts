import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import {
	activeEnrollmentIds,
	createJourney,
	getEnrollment,
	listEnrollments,
	ListEnrollmentsQuery,
	publish,
	resolveCustomer
} from '../../../core/journeys/index';
import { dbKinds, freshDb } from '../../helpers/db';
import { addCustomer, addEnrollment, addStep, waitingJourney } from './fixtures';

describe.each(dbKinds())('enrollments and customers on %s', (kind) => {
	let h: DbHandle;
	let journeyId: string;
	const T = (min: number) => new Date(Date.UTC(2026, 2, 1, 10, min));

	beforeAll(async () => {
		h = await freshDb(kind);
		journeyId = (await createJourney(h.db, { name: 'Enrolments', definition: waitingJourney() })).journey.id;
		await publish(h.db, journeyId, { publishedBy: null });
		await addCustomer(h, 'ann', [
			{ kind: 'email', value: 'ann@example.test' },
			{ kind: 'userId', value: 'U-1' }
		]);
		await addCustomer(h, 'bob');
		await addCustomer(h, 'old-bob', [{ kind: 'email', value: 'bob@example.test' }], { mergedInto: 'bob' });
		await addCustomer(h, 'gone', [{ kind: 'email', value: 'gone@example.test' }], { erasedAt: T(0) });
		await addEnrollment(h, { journeyId, customerId: 'ann', currentNodeId: 'wait', enteredAt: T(1) });
		await addEnrollment(h, { journeyId, customerId: 'bob', currentNodeId: 'exit', status: 'completed', enteredAt: T(2) });
		await addEnrollment(h, { journeyId, customerId: 'cy', enteredAt: T(3) });
		const ann = `journey:${journeyId}:ann:1`;
		await addStep(h, ann, journeyId, 'ann', 'trigger', T(1));
		await addStep(h, ann, journeyId, 'ann', 'trigger', T(1), 'completed');
		await addStep(h, ann, journeyId, 'ann', 'wait', T(1));
	});
	afterAll(() => h.close());

	it('lists enrollments newest first with the customer e-mail and the label of the step they are at', async () => {
		const page = await listEnrollments(h.db, journeyId, ListEnrollmentsQuery.parse({}));
		expect(page.total).toBe(3);
		expect(page.items.map((e) => [e.customerId, e.customerEmail, e.status, e.currentStepLabel])).toEqual([
			['cy', null, 'active', null],
			['bob', null, 'completed', 'Done'],
			['ann', 'ann@example.test', 'active', 'Give it a day']
		]);
		const active = await listEnrollments(h.db, journeyId, ListEnrollmentsQuery.parse({ status: 'active', pageSize: '1', page: '2' }));
		expect(active).toMatchObject({ total: 2, page: 2, items: [{ customerId: 'ann' }] });
		await expect(listEnrollments(h.db, 'nope', ListEnrollmentsQuery.parse({}))).rejects.toMatchObject({ code: 'not_found' });
	});

	it('shows one enrollment with its labelled steps, and lists the active ones', async () => {
		const detail = await getEnrollment(h.db, journeyId, `journey:${journeyId}:ann:1`);
		expect(detail.steps.map((s) => [s.kind, s.stepLabel])).toEqual([
			['entered', 'Entered by hand'],
			['completed', 'Entered by hand'],
			['entered', 'Give it a day']
		]);
		expect(detail.labels).toMatchObject({ wait: 'Give it a day' });
		await expect(getEnrollment(h.db, 'other', `journey:${journeyId}:ann:1`)).rejects.toMatchObject({ code: 'not_found' });
		expect((await activeEnrollmentIds(h.db, journeyId)).sort()).toEqual([`journey:${journeyId}:ann:1`, `journey:${journeyId}:cy:1`]);
	});

	it('resolves a customer by id, user id or e-mail, following merges and refusing erased or unknown ones', async () => {
		expect(await resolveCustomer(h.db, { customerId: 'ann' })).toBe('ann');
		expect(await resolveCustomer(h.db, { customerId: 'old-bob' })).toBe('bob');
		expect(await resolveCustomer(h.db, { userId: 'U-1' })).toBe('ann');
		expect(await resolveCustomer(h.db, { email: '  Ann@Example.TEST ' })).toBe('ann');
		expect(await resolveCustomer(h.db, { email: 'bob@example.test' })).toBe('bob');
		await expect(resolveCustomer(h.db, { email: 'gone@example.test' })).rejects.toMatchObject({ code: 'customer_not_found' });
		await expect(resolveCustomer(h.db, { customerId: 'nobody' })).rejects.toMatchObject({ code: 'customer_not_found' });
		await expect(resolveCustomer(h.db, { email: 'not an address' })).rejects.toMatchObject({ code: 'customer_not_found' });
	});
});
