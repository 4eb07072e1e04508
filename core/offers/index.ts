export { CODE_ALPHABET, generateCode, normalizeCode } from './codes';
export { offerError, type OfferError, type OfferErrorCode } from './errors';
export { grantOffer, OfferInputError, type GrantOfferInput } from './grant';
export { activeOffersFor, findOffer, latestOfferForEnrollment } from './query';
export { redeemOffer, redemptionChannels, type RedeemOfferInput, type RedeemResult, type RedemptionAnswer, type RedemptionChannel } from './redeem';
export { DEFAULT_HOLD_MS, MAX_HOLD_MS, releaseOffer, reserveOffer, type OfferOutcome } from './reserve';
export { effectiveStatus, formatOfferValue, maskCode, maskCodesIn, offerForViewer, seesFullCodes, toOfferView, type OfferView } from './view';
