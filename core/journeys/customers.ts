import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customers } from '../db/schema/customers';
import { normalizeEmail, normalizeId } from '../identity/normalize';
import { customerByIdentity, survivorOf } from '../identity/lookup';
import { JourneyError } from './errors';
import type { ManualEntryInput } from './input';

/**
 * The customer a manual entry names, by our id or by an identity (normalized as ingest stores it), followed to
 * the surviving profile after merges. Unknown and erased customers are refused: a journey must not recreate them.
 */
export async function resolveCustomer(db: Db, who: ManualEntryInput): Promise<string> {
	let id: string | null;
	let described: string;
	if ('customerId' in who) {
		described = `the id “${who.customerId}”`;
		id = await survivorOf(db, who.customerId);
	} else if ('userId' in who) {
		described = `the user id “${who.userId}”`;
		const value = normalizeId(who.userId);
		id = value ? await customerByIdentity(db, 'userId', value) : null;
	} else {
		described = `the e-mail “${who.email}”`;
		const value = normalizeEmail(who.email);
		id = value ? await customerByIdentity(db, 'email', value) : null;
	}
	if (id) {
		const [row] = await db.select({ erasedAt: customers.erasedAt }).from(customers).where(eq(customers.id, id));
		if (row && !row.erasedAt) return id;
	}
	throw new JourneyError('customer_not_found', `No customer has ${described}.`);
}
