/** Why a redemption or reservation was refused; core/http/errors.ts maps each to a status. */
export type OfferErrorCode = 'not_found' | 'already_redeemed' | 'expired' | 'revoked' | 'reserved' | 'not_eligible' | 'idempotency_key_reused';

export type OfferError = { code: OfferErrorCode; message: string };

const messages: Record<OfferErrorCode, string> = {
	not_found: 'No offer has this code.',
	already_redeemed: 'This offer has already been redeemed.',
	expired: 'This offer has expired.',
	revoked: 'This offer was withdrawn.',
	reserved: 'This offer is held by another cart.',
	not_eligible: 'This offer cannot be used here.',
	idempotency_key_reused: 'This Idempotency-Key was already used for another offer.'
};

export function offerError(code: OfferErrorCode): OfferError {
	return { code, message: messages[code] };
}
