/**
 * Provider failures, split the way Temporal needs them: a transient one (5xx, 429, timeout, network) is
 * thrown so the activity is retried; a permanent one (other 4xx: bad address, rejected content, bad
 * credentials) is recorded on the message and answered as `failed`, because retrying cannot help.
 * The class names double as Temporal error types (e.g. `nonRetryableErrorTypes: ['PermanentChannelError']`).
 */
export type ChannelErrorInfo = { provider: string; code: string; status?: number; detail?: unknown };

export class TransientChannelError extends Error {
	override name = 'TransientChannelError';
	readonly retryable = true;
	constructor(
		message: string,
		readonly info: ChannelErrorInfo
	) {
		super(message);
	}
}

export class PermanentChannelError extends Error {
	override name = 'PermanentChannelError';
	readonly retryable = false;
	constructor(
		message: string,
		readonly info: ChannelErrorInfo
	) {
		super(message);
	}
}

export type ChannelError = TransientChannelError | PermanentChannelError;

/** 408/425/429 and 5xx are worth retrying; every other 4xx will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
	return status >= 500 || status === 408 || status === 425 || status === 429;
}

export function httpError(provider: string, status: number, message: string, detail?: unknown, code?: string): ChannelError {
	const info = { provider, status, code: code ?? `http_${status}`, detail };
	const text = `${provider} answered ${status}: ${message}`;
	return isRetryableStatus(status) ? new TransientChannelError(text, info) : new PermanentChannelError(text, info);
}

const networkCodes = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_SOCKET'
]);

/** A request that never got an HTTP answer (refused, reset, timed out): transient, or null if not one of those. */
export function networkError(provider: string, err: unknown): TransientChannelError | null {
	if (!(err instanceof Error)) return null;
	const cause = (err as { cause?: unknown }).cause;
	const code = (err as { code?: unknown }).code ?? (cause instanceof Error ? (cause as { code?: unknown }).code : undefined);
	const timeout = err.name === 'TimeoutError' || err.name === 'AbortError' || /timeout/i.test(err.message);
	if (!timeout && !(typeof code === 'string' && networkCodes.has(code)) && !(err.name === 'TypeError' && err.message === 'fetch failed')) return null;
	return new TransientChannelError(`${provider} unreachable: ${err.message}`, { provider, code: timeout ? 'timeout' : String(code ?? 'network') });
}

export function isChannelError(err: unknown): err is ChannelError {
	return err instanceof TransientChannelError || err instanceof PermanentChannelError;
}
