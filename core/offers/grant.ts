import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { offers } from '../db/schema/offers';
import { generateCode } from './codes';
import { toOfferView, type OfferView } from './view';

export type GrantOfferInput = {
	/** Enrollment + node + visit: a retried grant with the same key answers the offer it already made. */
	grantKey: string;
	customerId: string;
	journeyId?: string;
	enrollmentId?: string;
	nodeId?: string;
	title: string;
	kind: 'percent' | 'amount';
	value: number;
	/** ISO 4217; required for `amount` offers. */
	currency?: string;
	productScope?: string[];
	storeScope?: string[];
	validForMs: number;
	codePrefix?: string;
	now: Date;
};

export class OfferInputError extends Error {
	override name = 'OfferInputError';
}

/** A fresh code collides about once in 10¹¹ grants; a few tries make failure practically impossible. */
const CODE_ATTEMPTS = 5;

function check(input: GrantOfferInput): void {
	if (!(input.value > 0)) throw new OfferInputError('value must be positive');
	if (input.kind === 'percent' && input.value > 100) throw new OfferInputError('a percent offer cannot exceed 100');
	if (input.kind === 'amount' && !input.currency) throw new OfferInputError('an amount offer needs a currency');
	if (!(input.validForMs > 0)) throw new OfferInputError('validForMs must be positive');
}

/**
 * Grants one offer with one code. Idempotent on `grantKey`: the insert skips on either unique key; if the
 * grant key is taken the existing offer is answered (even when the retry's other fields differ: the first
 * grant is the one customers may already have been told about), otherwise the code collided and a new one
 * is drawn.
 */
export async function grantOffer(db: Db, input: GrantOfferInput): Promise<OfferView> {
	check(input);
	for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
		const [row] = await db
			.insert(offers)
			.values({
				id: randomUUID(),
				code: generateCode(input.codePrefix),
				grantKey: input.grantKey,
				customerId: input.customerId,
				journeyId: input.journeyId ?? null,
				enrollmentId: input.enrollmentId ?? null,
				nodeId: input.nodeId ?? null,
				title: input.title,
				kind: input.kind,
				value: input.value.toFixed(2),
				currency: input.currency ?? null,
				productScope: input.productScope ?? null,
				storeScope: input.storeScope ?? null,
				expiresAt: new Date(input.now.getTime() + input.validForMs),
				createdAt: input.now
			})
			.onConflictDoNothing()
			.returning();
		if (row) return toOfferView(row, input.now);
		const [existing] = await db.select().from(offers).where(eq(offers.grantKey, input.grantKey));
		if (existing) return toOfferView(existing, input.now);
	}
	throw new Error(`could not draw an unused offer code in ${CODE_ATTEMPTS} attempts`);
}
