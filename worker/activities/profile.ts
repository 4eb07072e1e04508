import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../core/db/client';
import { customers } from '../../core/db/schema/customers';
import { applyTraits } from '../../core/identity/traits';
import { survivorOf } from '../../core/identity/lookup';
import type { UpdateProfileNode } from '../../core/graph/nodes';
import type { ActionInput, ActionOutcome } from '../../core/enrollment/activities';
import { nonRetryable } from './keys';

/**
 * Sets and removes traits as the journey says, with the activity's start as the set time. Re-running it sets
 * the same values again, which is harmless: the step is idempotent by nature.
 */
export async function updateProfile(db: Db, input: ActionInput<UpdateProfileNode>, now = new Date()): Promise<ActionOutcome> {
	const id = await survivorOf(db, input.ref.customerId);
	if (!id) throw nonRetryable(`customer ${input.ref.customerId} does not exist`);
	await db.transaction(async (tx) => {
		const [row] = await tx.select({ traits: customers.traits, traitTimes: customers.traitTimes }).from(customers).where(eq(customers.id, id)).for('update');
		if (!row) return;
		const next = applyTraits(row, input.node.set ?? {}, now);
		for (const key of input.node.unset ?? []) {
			delete next.traits[key];
			next.traitTimes[key] = now.toISOString();
		}
		await tx
			.update(customers)
			.set({ traits: next.traits, traitTimes: next.traitTimes, lastSeenAt: sql`greatest(${customers.lastSeenAt}, ${now.toISOString()}::timestamptz)` })
			.where(eq(customers.id, id));
	});
	return { status: 'done', detail: { set: Object.keys(input.node.set ?? {}), unset: input.node.unset ?? [] } };
}
