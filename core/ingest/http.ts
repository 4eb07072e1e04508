import type { Db } from '../db/client';
import { ApiError, apiError, errorResponse, issueDetails, readJsonBody, refusalResponse, toApiError } from '../http/index';
import { IngestValidationError } from './errors';
import { ingestMessages } from './ingest';
import type { TokenBucketLimiter } from './rate-limit';
import type { MessageType } from './schema';

/*
 * The ingest HTTP API (Segment's: POST identify/track/page/screen/alias/group, or batch) as plain Request →
 * Response functions, so every status code is tested without a server. Authentication is the caller's
 * (`authorize`), because credentials are the web app's business.
 */

export const MAX_BATCH_MESSAGES = 500;
/** Segment's limit for one request (a batch). */
export const MAX_BODY_BYTES = 500 * 1024;
export type IngestEndpoint = MessageType | 'batch';

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Extracted = { ok: true; messages: unknown[]; writeKey?: string } | { ok: false; response: Response };

/**
 * The messages a body carries. A single-call endpoint takes the type from its path; `batch` gives each message
 * the envelope's `context` (message keys win) and `sentAt`, as Segment does. Clients that cannot send headers
 * put the write key in the body (`writeKey`).
 */
export function messagesFromBody(endpoint: IngestEndpoint, body: unknown): Extracted {
	if (!isObject(body))
		return { ok: false, response: apiError(400, 'invalid_request', 'The body must be a JSON object.', [{ path: '', message: 'Expected an object' }]) };
	const writeKey = typeof body.writeKey === 'string' && body.writeKey !== '' ? body.writeKey : undefined;
	if (endpoint !== 'batch') return { ok: true, messages: [{ ...body, type: endpoint }], writeKey };
	const { batch } = body;
	if (!Array.isArray(batch))
		return { ok: false, response: apiError(400, 'invalid_request', 'The body must have a `batch` array.', [{ path: 'batch', message: 'Expected an array' }]) };
	if (batch.length > MAX_BATCH_MESSAGES) {
		return {
			ok: false,
			response: apiError(413, 'too_many_messages', `A batch holds at most ${MAX_BATCH_MESSAGES} messages.`, { max: MAX_BATCH_MESSAGES, received: batch.length })
		};
	}
	const context = isObject(body.context) ? body.context : undefined;
	const messages = batch.map((m: unknown) => {
		if (!isObject(m)) return m;
		const merged: Record<string, unknown> = { ...m };
		if (context && (m.context === undefined || isObject(m.context))) merged.context = { ...context, ...(m.context ?? {}) };
		if (m.sentAt === undefined && body.sentAt !== undefined) merged.sentAt = body.sentAt;
		return merged;
	});
	return { ok: true, messages, writeKey };
}

/** 400 with one entry per problem; paths as the client wrote them (`batch.3.event`, or `event` for /track). */
export function validationResponse(err: IngestValidationError, endpoint: IngestEndpoint): Response {
	const refusal = toApiError(err)!;
	const issues = err.issues.map((i) => ({ ...i, path: endpoint === 'batch' ? ['batch', ...i.path] : i.path.slice(1) }));
	return errorResponse(new ApiError(refusal.status, refusal.code, refusal.message, issueDetails(issues)));
}

export type IngestHttpDeps = {
	db: Db;
	limiter: TokenBucketLimiter;
	/** Checks the credential (header, or the body's write key); answers the 401/403 itself. */
	authorize(bodyWriteKey: string | undefined): Promise<{ ok: true; rateKey: string } | { ok: false; response: Response }>;
	now?: () => Date;
	/** Unexpected failures (the database is down): logged, answered 500 so clients retry. */
	logError?: (err: unknown) => void;
};

export type IngestHttpResult = { response: Response; eventIds: string[] };

export async function handleIngest(endpoint: IngestEndpoint, request: Request, deps: IngestHttpDeps): Promise<IngestHttpResult> {
	const none = (response: Response): IngestHttpResult => ({ response, eventIds: [] });
	let body: unknown;
	try {
		body = await readJsonBody(request, { maxBytes: MAX_BODY_BYTES, gzip: true });
	} catch (err) {
		return none(refusalResponse(err));
	}
	const extracted = messagesFromBody(endpoint, body);
	const auth = await deps.authorize(extracted.ok ? extracted.writeKey : undefined);
	if (!auth.ok) return none(auth.response);
	const take = deps.limiter.take(auth.rateKey);
	if (!take.ok) {
		return none(
			apiError(
				429,
				'rate_limited',
				'Too many requests for this key; retry later.',
				{ retryAfterSeconds: take.retryAfterSeconds },
				{ 'retry-after': String(take.retryAfterSeconds) }
			)
		);
	}
	if (!extracted.ok) return none(extracted.response);
	try {
		const result = await ingestMessages(deps.db, extracted.messages, { receivedAt: deps.now?.() ?? new Date() });
		const accepted = result.accepted.map(({ messageId, eventId, duplicate }) => ({ messageId, eventId, duplicate }));
		// `success` is what Segment's API answers; `ok` is ours. Customer ids are not echoed to a (public) write key.
		return { response: Response.json({ ok: true, success: true, accepted }), eventIds: result.eventIds };
	} catch (err) {
		if (err instanceof IngestValidationError) return none(validationResponse(err, endpoint));
		deps.logError?.(err);
		return none(apiError(500, 'internal_error', 'The events could not be stored; nothing was kept, retry.'));
	}
}
