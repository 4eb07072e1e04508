import { httpError, networkError } from './errors';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * One HTTP call to a provider with a deadline: answers the parsed JSON body of a 2xx, and otherwise throws
 * the transient/permanent ChannelError that the status (or the network failure) calls for.
 */
export async function callJson(provider: string, url: string, init: RequestInit & { timeoutMs: number; fetch?: FetchLike }): Promise<Record<string, unknown>> {
	const { timeoutMs, fetch: fetchImpl = fetch, ...rest } = init;
	let response: Response;
	try {
		response = await fetchImpl(url, { ...rest, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
	} catch (err) {
		throw networkError(provider, err) ?? err;
	}
	const text = await response.text().catch(() => '');
	let body: unknown;
	try {
		body = text ? JSON.parse(text) : {};
	} catch {
		body = { raw: text.slice(0, 2000) };
	}
	if (!response.ok) throw httpError(provider, response.status, errorMessage(body) ?? response.statusText, body);
	return (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
}

/** Meta's `{ error: { message } }`, Google's `{ error: { message, status } }`. */
function errorMessage(body: unknown): string | null {
	const error = (body as { error?: { message?: unknown } } | null)?.error;
	return typeof error?.message === 'string' ? error.message : null;
}
