import type { RequestEvent } from '@sveltejs/kit';
import { isDatabaseUnavailable } from '$core/db/client';
import { isTemporalUnavailable } from '$core/temporal/connection';
import errorTemplate from '../../error.html?raw';
import { apiError } from './http';

/**
 * How a request fails when a dependency is away: fast, as 503 with `Retry-After`, in our error shape for APIs and as
 * the friendly error page (web/error.html) for pages; never a hang and never SvelteKit's bare "Internal Error".
 */

/**
 * No request takes longer than this; dependencies' own timeouts (core/db/client.ts, core/temporal) are shorter.
 * APIs are called by machines that retry (ingest is idempotent by messageId), so they get the shorter one.
 */
export const REQUEST_DEADLINE_MS = { api: 5_000, page: 10_000 } as const;

export function requestDeadlineMs(path: string): number {
	return isApiPath(path) ? REQUEST_DEADLINE_MS.api : REQUEST_DEADLINE_MS.page;
}
/** Seconds a client should wait before retrying: PostgreSQL restarts and Temporal failovers take about this long. */
export const RETRY_AFTER_S = 5;

export type Dependency = 'database' | 'temporal' | 'deadline';

export class RequestDeadlineExceeded extends Error {
	constructor(ms: number) {
		super(`The request did not finish within ${ms} ms.`);
	}
}

/** The innermost message (drizzle's "Failed query: …" wraps the driver's "connect ECONNREFUSED …"), for logs. */
export function rootMessage(err: unknown): string {
	let e = err;
	for (let depth = 0; depth < 5 && (e as { cause?: unknown })?.cause; depth++) e = (e as { cause: unknown }).cause;
	return e instanceof Error ? e.message.split('\n', 1)[0]! : String(e);
}

/** Which dependency `err` says is unavailable, or null for an ordinary error (a bug, bad data). */
export function unavailableDependency(err: unknown): Dependency | null {
	if (err instanceof RequestDeadlineExceeded) return 'deadline';
	if (isDatabaseUnavailable(err)) return 'database';
	if (isTemporalUnavailable(err)) return 'temporal';
	return null;
}

export const UNAVAILABLE_MESSAGES: Record<Dependency, string> = {
	database: 'Omnicanal cannot reach its database right now. Nothing was lost; try again in a few seconds.',
	temporal: 'Omnicanal cannot reach its journey engine (Temporal) right now. Try again in a few seconds.',
	deadline: 'Omnicanal is answering too slowly right now. Try again in a few seconds.'
};

export function isApiPath(path: string): boolean {
	return path === '/api' || path.startsWith('/api/');
}

/** The static error page SvelteKit also uses for errors outside the app shell, filled in the same way. */
export function errorPage(status: number, message: string, headers: Record<string, string> = {}): Response {
	const html = errorTemplate.replaceAll('%sveltekit.status%', String(status)).replaceAll('%sveltekit.error.message%', escapeHtml(message));
	return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers } });
}

function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** 503 + Retry-After: JSON in our shape for APIs (and clients asking for JSON), the error page for pages. */
export function unavailableResponse(event: Pick<RequestEvent, 'url' | 'request'>, dependency: Dependency): Response {
	const headers = { 'retry-after': String(RETRY_AFTER_S), 'cache-control': 'no-store' };
	const wantsJson = isApiPath(event.url.pathname) || (event.request.headers.get('accept') ?? '').includes('application/json');
	if (!wantsJson) return errorPage(503, UNAVAILABLE_MESSAGES[dependency], headers);
	const response = apiError(503, 'service_unavailable', UNAVAILABLE_MESSAGES[dependency], { dependency, retryAfterSeconds: RETRY_AFTER_S });
	for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
	return response;
}

/** Resolves like `work`, or rejects with RequestDeadlineExceeded after `ms` (the work itself carries on and is dropped). */
export async function withDeadline<T>(work: T | Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			Promise.resolve(work),
			new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new RequestDeadlineExceeded(ms)), ms)))
		]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * What handleError saw while a request was being resolved (errors thrown by handlers and loads do not reach `handle`:
 * SvelteKit turns them into a 500 response first). Keyed by the request's `locals`, which both hooks share.
 */
const failures = new WeakMap<object, Dependency | 'internal'>();

export function recordFailure(locals: object, err: unknown): Dependency | null {
	const dependency = unavailableDependency(err);
	failures.set(locals, dependency ?? 'internal');
	return dependency;
}

/**
 * Rewrites the 500 SvelteKit produced for a failed handler or load: a dependency outage becomes 503 + Retry-After
 * (our JSON shape for APIs; the rendered error page keeps its body for pages), an API bug becomes our 500 shape.
 */
export function finishFailedResponse(event: RequestEvent, response: Response): Response {
	const failure = failures.get(event.locals);
	if (!failure || response.status < 500) return response;
	const api = isApiPath(event.url.pathname);
	if (failure !== 'internal') {
		if (api) return unavailableResponse(event, failure);
		const headers = new Headers(response.headers);
		headers.set('retry-after', String(RETRY_AFTER_S));
		return new Response(response.body, { status: 503, headers });
	}
	return api ? apiError(500, 'internal_error', 'Something went wrong on our side; it has been logged.') : response;
}
