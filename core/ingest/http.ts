import type { Db } from '../db/client';
import { ApiError, apiError, errorResponse, issueDetails, readJsonBody, refusalResponse, toApiError } from '../http/index';
import { IngestValidationError } from './errors';
import { inboxEntries, InboxWriter } from './inbox';
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
	/** The process's group-committing writer; without one each request writes alone. */
	inbox?: InboxWriter;
	limiter: TokenBucketLimiter;
	/**
	 * Backpressure: seconds the client should wait when the processor is too far behind (429 + Retry-After), else
	 * null. Asked before the body is read.
	 */
	backpressure?: () => Promise<number | null>;
	/**
	 * Checks the credential and answers the 401/403 itself: called first with `undefined` (the request's header
	 * credential alone, before the body is read), then, only if that fails, with the body's `writeKey`.
	 */
	authorize(bodyWriteKey: string | undefined): Promise<{ ok: true; rateKey: string } | { ok: false; response: Response }>;
	now?: () => Date;
	/** Unexpected failures (the database is down): logged, answered 500 so clients retry. */
	logError?: (err: unknown) => void;
};

/** `eventIds`: the events this request added to the inbox (the processor writes and routes them). */
export type IngestHttpResult = { response: Response; eventIds: string[] };

/**
 * Credentials first: a request is authenticated by its header (Basic/Bearer) before a byte of its body is read;
 * only an uncompressed body may carry the write key itself (browser beacons), and it is then read within the size
 * limit before anything else happens. A compressed body without a valid header credential is refused unread, so
 * anonymous callers cannot make us inflate anything.
 */
export async function handleIngest(endpoint: IngestEndpoint, request: Request, deps: IngestHttpDeps): Promise<IngestHttpResult> {
	const none = (response: Response): IngestHttpResult => ({ response, eventIds: [] });
	let auth = await deps.authorize(undefined);
	const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
	if (!auth.ok && encoding !== 'identity') return none(auth.response);
	if (auth.ok) {
		const refused = await admission(deps, auth.rateKey);
		if (refused) return none(refused);
	}
	let body: unknown;
	try {
		body = await readJsonBody(request, { maxBytes: MAX_BODY_BYTES, gzip: true });
	} catch (err) {
		return none(auth.ok ? refusalResponse(err) : auth.response);
	}
	const extracted = messagesFromBody(endpoint, body);
	if (!auth.ok) {
		const bodyKey = extracted.ok ? extracted.writeKey : undefined;
		if (!bodyKey) return none(auth.response);
		auth = await deps.authorize(bodyKey);
		if (!auth.ok) return none(auth.response);
		const refused = await admission(deps, auth.rateKey);
		if (refused) return none(refused);
	}
	if (!extracted.ok) return none(extracted.response);
	let entries: ReturnType<typeof inboxEntries>;
	try {
		entries = inboxEntries(extracted.messages, deps.now?.() ?? new Date());
	} catch (err) {
		if (err instanceof IngestValidationError) return none(validationResponse(err, endpoint));
		throw err;
	}
	try {
		const accepted = await (deps.inbox ?? new InboxWriter(deps.db)).append(entries);
		// `success` is what Segment's API answers; `ok` is ours. The profile is resolved after the answer (by the
		// processor), so no customer id can be echoed, and none would be to a (public) write key anyway.
		return {
			response: Response.json({ ok: true, success: true, accepted }),
			eventIds: accepted.filter((a) => !a.duplicate).map((a) => a.eventId)
		};
	} catch (err) {
		deps.logError?.(err);
		return none(apiError(500, 'internal_error', 'The events could not be stored; nothing was kept, retry.'));
	}
}

/** The key's rate limit, then the backlog bound: a 429 with Retry-After, or null to go on. */
async function admission(deps: IngestHttpDeps, rateKey: string): Promise<Response | null> {
	const take = deps.limiter.take(rateKey);
	if (!take.ok) {
		return apiError(
			429,
			'rate_limited',
			'Too many requests for this key; retry later.',
			{ retryAfterSeconds: take.retryAfterSeconds },
			{ 'retry-after': String(take.retryAfterSeconds) }
		);
	}
	let retryAfter: number | null = null;
	try {
		retryAfter = (await deps.backpressure?.()) ?? null;
	} catch (err) {
		deps.logError?.(err); // the count failed (the database?): the append will tell
	}
	if (retryAfter === null) return null;
	return apiError(
		429,
		'backlog_full',
		'Too many events are waiting to be processed; nothing was stored, retry later.',
		{ retryAfterSeconds: retryAfter },
		{ 'retry-after': String(retryAfter) }
	);
}
