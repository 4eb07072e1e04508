import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { events } from '../db/schema/events';
import { offers, redemptions, type Offer } from '../db/schema/offers';
import { usableWhere, whyUnavailable, type UseContext } from './availability';
import { normalizeCode } from './codes';
import { survivorOf } from '../identity/lookup';
import { offerErrorStatus } from '../http/errors';
import { offerError, type OfferError } from './errors';
import { toOfferView, type OfferView } from './view';

export const redemptionChannels = ['web', 'store', 'email', 'sms', 'ads', 'api'] as const;
export type RedemptionChannel = (typeof redemptionChannels)[number];

export type RedeemOfferInput = {
	code: string;
	channel: RedemptionChannel;
	orderId?: string;
	storeId?: string;
	/** The cart holding the offer, if any: a cart may redeem what it reserved. */
	cartId?: string;
	idempotencyKey: string;
	now: Date;
};

/** What the caller is told, stored verbatim under the Idempotency-Key so a retry gets exactly the same. */
export type RedemptionAnswer =
	| {
			ok: true;
			offer: OfferView;
			redemption: { channel: RedemptionChannel; orderId: string | null; storeId: string | null; at: string; eventId: string };
	  }
	| { ok: false; error: OfferError };

export type RedeemResult = {
	/** HTTP status for the answer: 200, or the error's (404, 409, 410, 422). */
	status: number;
	answer: RedemptionAnswer;
	/** True when this is the stored answer to an earlier request with the same key. */
	replayed: boolean;
	/** Events committed by this call (the `offer_redeemed` event), for the router; empty on replays. */
	eventIds: string[];
};

/** Someone else stored an answer under this key while we worked: roll back and answer theirs. */
class KeyTaken extends Error {}

async function storedAnswer(db: Db, key: string, code: string): Promise<RedeemResult | null> {
	const [row] = await db.select().from(redemptions).where(eq(redemptions.idempotencyKey, key));
	if (!row) return null;
	if (row.offerCode !== code) return { status: 422, answer: { ok: false, error: offerError('idempotency_key_reused') }, replayed: true, eventIds: [] };
	return { status: row.statusCode, answer: row.response as RedemptionAnswer, replayed: true, eventIds: [] };
}

async function remember(tx: Db, key: string, code: string, status: number, answer: RedemptionAnswer): Promise<void> {
	const [row] = await tx
		.insert(redemptions)
		.values({ idempotencyKey: key, offerCode: code, statusCode: status, response: answer })
		.onConflictDoNothing()
		.returning({ key: redemptions.idempotencyKey });
	if (!row) throw new KeyTaken();
}

/** The conversion signal for journeys, committed with the redemption so neither exists without the other. */
async function emitRedeemed(tx: Db, offer: Offer, input: RedeemOfferInput): Promise<string> {
	const messageId = `offer_redeemed:${offer.id}`;
	const [row] = await tx
		.insert(events)
		.values({
			id: randomUUID(),
			messageId,
			type: 'track',
			name: 'offer_redeemed',
			customerId: (await survivorOf(tx, offer.customerId)) ?? offer.customerId,
			properties: {
				code: offer.code,
				channel: input.channel,
				orderId: input.orderId ?? null,
				storeId: input.storeId ?? null,
				offerId: offer.id,
				journeyId: offer.journeyId,
				enrollmentId: offer.enrollmentId
			},
			context: { source: 'offers' },
			timestamp: input.now
		})
		.onConflictDoNothing()
		.returning({ id: events.id });
	if (row) return row.id;
	const [existing] = await tx.select({ id: events.id }).from(events).where(eq(events.messageId, messageId));
	return existing!.id;
}

/**
 * Redeems an offer once, on whichever channel comes first. One conditional UPDATE decides the winner (see
 * `usableWhere`); the losers read the row afterwards to say why. Every definitive answer — success or
 * business refusal — is stored under the Idempotency-Key (as payment APIs do), so a client retrying after a
 * lost response gets the same answer instead of "already redeemed" by itself. Use a new key for a new attempt.
 */
export async function redeemOffer(db: Db, input: RedeemOfferInput): Promise<RedeemResult> {
	const code = normalizeCode(input.code);
	const earlier = await storedAnswer(db, input.idempotencyKey, code);
	if (earlier) return earlier;
	const ctx: UseContext = { now: input.now, cartId: input.cartId, storeId: input.storeId, checkStore: true };
	try {
		return await db.transaction(async (tx) => {
			// A second pass only when the row changed between the UPDATE and the read (e.g. a hold lapsed).
			for (let pass = 0; pass < 3; pass++) {
				const [won] = await tx
					.update(offers)
					.set({
						status: 'redeemed',
						redeemedAt: input.now,
						redeemedChannel: input.channel,
						redeemedOrderId: input.orderId ?? null,
						redeemedStoreId: input.storeId ?? null,
						reservedBy: null,
						reservedUntil: null
					})
					.where(usableWhere(code, ctx))
					.returning();
				if (won) {
					const eventId = await emitRedeemed(tx, won, input);
					const answer: RedemptionAnswer = {
						ok: true,
						offer: toOfferView(won, input.now),
						redemption: { channel: input.channel, orderId: input.orderId ?? null, storeId: input.storeId ?? null, at: input.now.toISOString(), eventId }
					};
					await remember(tx, input.idempotencyKey, code, 200, answer);
					return { status: 200, answer, replayed: false, eventIds: [eventId] };
				}
				const [row] = await tx.select().from(offers).where(eq(offers.code, code));
				const why = whyUnavailable(row, ctx);
				if (why) {
					const answer: RedemptionAnswer = { ok: false, error: offerError(why) };
					await remember(tx, input.idempotencyKey, code, offerErrorStatus(why), answer);
					return { status: offerErrorStatus(why), answer, replayed: false, eventIds: [] };
				}
			}
			throw new Error(`offer ${code} kept changing during redemption`);
		});
	} catch (err) {
		if (err instanceof KeyTaken) {
			const theirs = await storedAnswer(db, input.idempotencyKey, code);
			if (theirs) return theirs;
		}
		throw err;
	}
}
