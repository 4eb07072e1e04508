import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeStoreTask, createStoreTask, listStoreTasks } from '../../../core/channels/store-tasks';
import type { DbHandle } from '../../../core/db/client';
import { dbKinds, freshDb } from '../../helpers/db';
import { seedCustomer } from './fixtures';

describe.each(dbKinds())('store tasks on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => {
		h = await freshDb(kind);
		await seedCustomer(h.db, 'ada');
	});
	afterAll(() => h.close());

	it('creates one task per key and completes it once', async () => {
		const input = {
			taskKey: 'enr-1:task:1',
			customerId: 'ada',
			storeId: 'lyon',
			title: 'Welcome Ada',
			instructions: 'Offer a coffee',
			now: new Date('2026-03-01T10:00:00Z')
		};
		const first = await createStoreTask(h.db, input);
		const again = await createStoreTask(h.db, { ...input, title: 'changed' });
		expect(again).toEqual(first);
		expect(first).toMatchObject({ status: 'open', storeId: 'lyon', title: 'Welcome Ada', createdAt: '2026-03-01T10:00:00.000Z', doneAt: null });
		await createStoreTask(h.db, { taskKey: 'any-store', customerId: 'ada', title: 'Call back' });
		await createStoreTask(h.db, { taskKey: 'paris', customerId: 'ada', storeId: 'paris', title: 'Hold item' });
		expect((await listStoreTasks(h.db, { storeId: 'lyon', status: 'open' })).map((t) => t.taskKey).sort()).toEqual(['any-store', 'enr-1:task:1']);

		const done = await completeStoreTask(h.db, { taskId: first.id, doneBy: 'clerk-1', now: new Date('2026-03-01T11:00:00Z') });
		const doneAgain = await completeStoreTask(h.db, { taskId: first.id, doneBy: 'clerk-2' });
		expect(done).toMatchObject({ status: 'done', doneBy: 'clerk-1', doneAt: '2026-03-01T11:00:00.000Z' });
		expect(doneAgain).toEqual(done);
		expect(await completeStoreTask(h.db, { taskId: 'nope', doneBy: 'x' })).toBeNull();
		expect((await listStoreTasks(h.db, { storeId: 'lyon', status: 'open' })).map((t) => t.taskKey)).toEqual(['any-store']);
	});
});
