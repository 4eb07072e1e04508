import { IngestValidationError } from '../ingest/errors';
import { JourneyError, type JourneyErrorCode } from '../journeys/errors';
import type { OfferError, OfferErrorCode } from '../offers/errors';

/*
 * Every JSON API answers a refusal in one shape, `{ error: { code, message, details } }`, with `details` always
 * present (null when there is nothing more to say). Core code throws typed errors; this module alone decides
 * their HTTP status. Plain Request/Response: the web app, tests and any other server use the same functions.
 */

export type Headers = Record<string, string>;

/** A refusal to answer as-is: thrown by the body readers, and by handlers for their own 4xx. */
export class ApiError extends Error {
	override name = 'ApiError';
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details: unknown = null,
		readonly headers: Headers = {}
	) {
		super(message);
	}
}

export function apiError(status: number, code: string, message: string, details: unknown = null, headers: Headers = {}): Response {
	return Response.json({ error: { code, message, details: details ?? null } }, { status, headers });
}

export function errorResponse(err: ApiError): Response {
	return apiError(err.status, err.code, err.message, err.details, err.headers);
}

/** zod's (or ingest's) issues as `details`: `[{ path: 'batch.3.event', message }]`. */
export function issueDetails(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): Array<{ path: string; message: string }> {
	return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

const journeyStatuses: Record<JourneyErrorCode, number> = {
	not_found: 404,
	customer_not_found: 404,
	invalid_journey: 422,
	invalid_transition: 409,
	draft_conflict: 409,
	journey_archived: 409
};

const offerStatuses: Record<OfferErrorCode, number> = {
	not_found: 404,
	already_redeemed: 409,
	reserved: 409,
	expired: 410,
	revoked: 410,
	not_eligible: 422,
	idempotency_key_reused: 422
};

export function journeyErrorStatus(code: JourneyErrorCode): number {
	return journeyStatuses[code];
}

/** Also what a redemption stores with its answer, so a replay answers the same status. */
export function offerErrorStatus(code: OfferErrorCode): number {
	return offerStatuses[code];
}

/** An offer refusal (a value, not a throw: reserve and redeem return them) as an ApiError. */
export function offerRefusal(error: OfferError, headers: Headers = {}): ApiError {
	return new ApiError(offerErrorStatus(error.code), error.code, error.message, null, headers);
}

/** The one mapping of business refusals to HTTP; null for anything else (a bug or an outage: a 500). */
export function toApiError(err: unknown): ApiError | null {
	if (err instanceof ApiError) return err;
	if (err instanceof JourneyError) return new ApiError(journeyErrorStatus(err.code), err.code, err.message, err.problems ?? err.details ?? null);
	if (err instanceof IngestValidationError)
		return new ApiError(400, 'invalid_request', 'Some messages are not valid; nothing was stored.', issueDetails(err.issues));
	return null;
}

/** The answer to a caught business refusal; anything else (a bug, an outage) is rethrown to become a 500. */
export function refusalResponse(err: unknown): Response {
	const known = toApiError(err);
	if (known) return errorResponse(known);
	throw err;
}

/** Runs a handler, answering business refusals in the API's shape. */
export async function withApiErrors(run: () => Promise<Response>): Promise<Response> {
	try {
		return await run();
	} catch (err) {
		return refusalResponse(err);
	}
}
