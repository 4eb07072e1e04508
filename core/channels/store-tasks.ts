import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { storeTasks, type StoreTask } from '../db/schema/offers';
import { survivorOf } from '../identity/lookup';

/** A store task as JSON (ISO dates), for activity results and the store page. */
export type StoreTaskView = Omit<StoreTask, 'createdAt' | 'doneAt'> & { createdAt: string; doneAt: string | null };

const view = (t: StoreTask): StoreTaskView => ({ ...t, createdAt: t.createdAt.toISOString(), doneAt: t.doneAt?.toISOString() ?? null });

export type CreateStoreTaskInput = {
	/** Enrollment + node + visit: a retried step finds the task it created. */
	taskKey: string;
	customerId: string;
	journeyId?: string;
	enrollmentId?: string;
	nodeId?: string;
	storeId?: string;
	title: string;
	instructions?: string;
	offerId?: string;
	now?: Date;
};

/** Puts work on a store's list (call the customer back, hold an item, welcome them with the offer). Idempotent. */
export async function createStoreTask(db: Db, input: CreateStoreTaskInput): Promise<StoreTaskView> {
	const [row] = await db
		.insert(storeTasks)
		.values({
			id: randomUUID(),
			taskKey: input.taskKey,
			customerId: (await survivorOf(db, input.customerId)) ?? input.customerId,
			journeyId: input.journeyId ?? null,
			enrollmentId: input.enrollmentId ?? null,
			nodeId: input.nodeId ?? null,
			storeId: input.storeId ?? null,
			title: input.title,
			instructions: input.instructions ?? '',
			offerId: input.offerId ?? null,
			createdAt: input.now ?? new Date()
		})
		.onConflictDoNothing({ target: storeTasks.taskKey })
		.returning();
	if (row) return view(row);
	const [existing] = await db.select().from(storeTasks).where(eq(storeTasks.taskKey, input.taskKey));
	return view(existing!);
}

/** Marks a task done; completing it again answers the first completion. Null when there is no such task. */
export async function completeStoreTask(db: Db, input: { taskId: string; doneBy: string; now?: Date }): Promise<StoreTaskView | null> {
	const [done] = await db
		.update(storeTasks)
		.set({ status: 'done', doneAt: input.now ?? new Date(), doneBy: input.doneBy })
		.where(and(eq(storeTasks.id, input.taskId), eq(storeTasks.status, 'open')))
		.returning();
	if (done) return view(done);
	const [existing] = await db.select().from(storeTasks).where(eq(storeTasks.id, input.taskId));
	return existing ? view(existing) : null;
}

/** A store's tasks, newest first (tasks without a store show in every store). */
export async function listStoreTasks(
	db: Db,
	filter: { storeId?: string; status?: 'open' | 'done'; customerId?: string; limit?: number }
): Promise<StoreTaskView[]> {
	const where: SQL[] = [];
	if (filter.storeId) where.push(or(eq(storeTasks.storeId, filter.storeId), isNull(storeTasks.storeId))!);
	if (filter.status) where.push(eq(storeTasks.status, filter.status));
	if (filter.customerId) where.push(eq(storeTasks.customerId, filter.customerId));
	const rows = await db
		.select()
		.from(storeTasks)
		.where(and(...where))
		.orderBy(desc(storeTasks.createdAt))
		.limit(Math.min(filter.limit ?? 100, 500));
	return rows.map(view);
}
