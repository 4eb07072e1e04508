import QRCode from 'qrcode';
import { z } from 'zod';
import type { Db } from '../db/client';
import type { IdentityKind } from '../db/schema/customers';
import { apiError, errorResponse, offerRefusal, readValidBody, refusalResponse, withApiErrors } from '../http/index';
import { normalizeEmail, normalizePhone } from '../identity/normalize';
import { customerByIdentity, survivorOf } from '../identity/lookup';
import { normalizeCode } from './codes';
import { activeOffersFor, findOffer } from './query';
import { offerForViewer } from './view';
import { redeemOffer, redemptionChannels } from './redeem';
import { MAX_HOLD_MS, releaseOffer, reserveOffer, type OfferOutcome } from './reserve';

/*
 * The offers API as plain Request → Response functions (like core/ingest/http.ts), so every status is
 * tested without a server. Who may call them is the web app's business: its +server.ts files check the
 * permission (`customers:read` to look offers up, `offers:redeem` to hold, release and redeem) first.
 */

export type OffersHttpDeps = { db: Db; now?: () => Date };

/** Small JSON bodies: a code, a cart id, an order id. */
const MAX_BODY_BYTES = 16 * 1024;
const readBody = <S extends z.ZodType>(request: Request, schema: S) => readValidBody(request, schema, { maxBytes: MAX_BODY_BYTES });

const outcomeResponse = (outcome: OfferOutcome) => (outcome.ok ? Response.json({ offer: outcome.offer }) : errorResponse(offerRefusal(outcome.error)));

/** Lookup keys in the order they are tried; values are normalized the way identities are stored. */
const lookups: Array<{ param: string; kind: IdentityKind | 'customerId'; normalize: (v: string) => string | null }> = [
	{ param: 'customerId', kind: 'customerId', normalize: (v) => v },
	{ param: 'userId', kind: 'userId', normalize: (v) => v },
	{ param: 'anonymousId', kind: 'anonymousId', normalize: (v) => v },
	{ param: 'email', kind: 'email', normalize: normalizeEmail },
	{ param: 'phone', kind: 'phone', normalize: (v) => normalizePhone(v) ?? (/^\+\d{6,15}$/.test(v) ? v : null) },
	{ param: 'loyaltyId', kind: 'loyaltyId', normalize: (v) => v.trim() }
];

/**
 * `GET /api/v1/offers?userId=|anonymousId=|email=|phone=|loyaltyId=|customerId=`: the customer's usable
 * offers, found from whichever identifier the channel has (the web cart its anonymous id, the till a phone
 * number or loyalty card), following merges. An unknown identifier is not an error: it has no offers yet.
 * Codes are masked unless `fullCodes` (callers who redeem them: core/offers/view.ts, `seesFullCodes`).
 */
export async function listOffersResponse(url: URL, deps: OffersHttpDeps, opts: { fullCodes?: boolean } = {}): Promise<Response> {
	const lookup = lookups.find((l) => url.searchParams.get(l.param));
	if (!lookup) return apiError(400, 'missing_identifier', `Pass one of: ${lookups.map((l) => l.param).join(', ')}.`);
	const value = lookup.normalize(url.searchParams.get(lookup.param)!);
	if (value === null) return apiError(400, 'invalid_identifier', `The ${lookup.param} is not valid.`);
	const customerId = lookup.kind === 'customerId' ? await survivorOf(deps.db, value) : await customerByIdentity(deps.db, lookup.kind, value);
	const offers = customerId ? await activeOffersFor(deps.db, customerId, deps.now?.() ?? new Date()) : [];
	return Response.json({ customerId, offers: offers.map((o) => offerForViewer(o, opts.fullCodes ?? false)) }, { headers: { 'cache-control': 'no-store' } });
}

/** `GET /api/v1/offers/{code}`: one offer, whatever its status (the till shows why it cannot be used). */
export async function getOfferResponse(code: string, deps: OffersHttpDeps): Promise<Response> {
	const offer = await findOffer(deps.db, code, deps.now?.() ?? new Date());
	return offer ? Response.json({ offer }, { headers: { 'cache-control': 'no-store' } }) : apiError(404, 'not_found', 'No offer has this code.');
}

const RedeemBody = z.object({
	channel: z.enum(redemptionChannels),
	orderId: z.string().min(1).max(200).optional(),
	storeId: z.string().min(1).max(200).optional(),
	cartId: z.string().min(1).max(200).optional()
});

/**
 * `POST /api/v1/offers/{code}/redeem` with `Idempotency-Key`: 200 `{ offer, redemption }` or the refusal
 * (404, 409 already_redeemed/reserved, 410 expired, 422). A retry with the same key replays the stored
 * answer, marked `Idempotent-Replayed: true`. `eventIds` are for the router (the offer_redeemed event).
 */
export async function redeemResponse(code: string, request: Request, deps: OffersHttpDeps): Promise<{ response: Response; eventIds: string[] }> {
	const key = request.headers.get('idempotency-key')?.trim();
	if (!key)
		return { response: apiError(400, 'missing_idempotency_key', 'Send an Idempotency-Key header (a new random value per redemption attempt).'), eventIds: [] };
	if (key.length > 255) return { response: apiError(400, 'invalid_idempotency_key', 'The Idempotency-Key is longer than 255 characters.'), eventIds: [] };
	let body: z.infer<typeof RedeemBody>;
	try {
		body = await readBody(request, RedeemBody);
	} catch (err) {
		return { response: refusalResponse(err), eventIds: [] };
	}
	const result = await redeemOffer(deps.db, { code, ...body, idempotencyKey: key, now: deps.now?.() ?? new Date() });
	const headers: Record<string, string> = result.replayed ? { 'idempotent-replayed': 'true' } : {};
	const { answer } = result;
	const response = answer.ok
		? Response.json({ offer: answer.offer, redemption: answer.redemption }, { status: result.status, headers })
		: apiError(result.status, answer.error.code, answer.error.message, null, headers);
	return { response, eventIds: result.eventIds };
}

const ReserveBody = z.object({
	cartId: z.string().min(1).max(200),
	holdSeconds: z
		.number()
		.int()
		.min(1)
		.max(MAX_HOLD_MS / 1000)
		.optional()
});
const ReleaseBody = z.object({ cartId: z.string().min(1).max(200) });

/** `POST /api/v1/offers/{code}/reserve` `{ cartId, holdSeconds? }`: hold it for this cart (409 if another holds it). */
export async function reserveResponse(code: string, request: Request, deps: OffersHttpDeps): Promise<Response> {
	return withApiErrors(async () => {
		const body = await readBody(request, ReserveBody);
		const holdMs = body.holdSeconds === undefined ? undefined : body.holdSeconds * 1000;
		return outcomeResponse(await reserveOffer(deps.db, { code, cartId: body.cartId, holdMs, now: deps.now?.() ?? new Date() }));
	});
}

/** `POST /api/v1/offers/{code}/release` `{ cartId }`: let go of this cart's hold (idempotent). */
export async function releaseResponse(code: string, request: Request, deps: OffersHttpDeps): Promise<Response> {
	return withApiErrors(async () => {
		const body = await readBody(request, ReleaseBody);
		return outcomeResponse(await releaseOffer(deps.db, { code, cartId: body.cartId, now: deps.now?.() ?? new Date() }));
	});
}

/** What a code can look like (core/offers/codes.ts: an optional prefix and groups of the code alphabet). */
const CODE_SHAPE = /^[A-Z0-9](?:[A-Z0-9-]{0,62}[A-Z0-9])?$/;

/**
 * `GET /api/v1/offers/{code}/qr.svg|png`: the code as a QR code for the store's scanner. Public, because e-mails
 * embed it as an image (mail clients send no credentials). It draws whatever well-formed code it is given without
 * looking it up: a QR code holds nothing beyond the code already in its URL, and answering unknown codes exactly
 * like real ones (same status, same work, no database) means the endpoint cannot be used to test guesses. A
 * signed token would also hide existence but would break the QR links in e-mails already sent.
 */
export async function qrResponse(code: string, format: 'svg' | 'png'): Promise<Response> {
	const normalized = normalizeCode(code);
	if (!CODE_SHAPE.test(normalized)) return apiError(400, 'invalid_code', 'Offer codes are letters, digits and dashes (at most 64).');
	const options = { errorCorrectionLevel: 'M' as const, margin: 2 };
	const headers = { 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' };
	if (format === 'svg')
		return new Response(await QRCode.toString(normalized, { ...options, type: 'svg' }), { headers: { ...headers, 'content-type': 'image/svg+xml' } });
	const png = await QRCode.toBuffer(normalized, { ...options, type: 'png', width: 256 });
	return new Response(new Uint8Array(png), { headers: { ...headers, 'content-type': 'image/png' } });
}
