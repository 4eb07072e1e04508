/**
 * Provider failures, split the way Temporal needs them: a transient one (5xx, 429, timeout, network) is
 * thrown so the activity is retried; a permanent one (other 4xx: bad address, rejected content, bad
 * credentials) is recorded on the message and answered as `failed`, because retrying cannot help.
 * The class names double as Temporal error types (e.g. `nonRetryableErrorTypes: ['PermanentChannelError']`).
 */
export type ChannelErrorInfo = { provider: string; code: string; status?: number; detail?: unknown };

/*
 * Providers echo the recipient back in their errors ("The 'To' number +33612345678 is not a valid phone number",
 * "Does not contain a valid address: ada@example.com"). Those texts end up in messages.error, the step log's
 * reason and Temporal's failure history, which outlive an erasure and are shown to roles that may not see
 * addresses. So every channel error is scrubbed here, once, when it is made: whoever records it later cannot
 * leak what it no longer holds.
 */
const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
/** A phone number: 7–15 digits, optionally with +, spaces, dots, dashes or parentheses between them. */
const PHONE = /(?<![\w+(])\+?\(?\d(?:[\s.()-]{0,2}\d){6,14}(?!\w)/g;
/** ISO dates and times look like digit runs; keep them readable (they are not personal). */
const ISO_TIME = /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g;

/** `text` with e-mail addresses and phone numbers replaced by `[email]` and `[phone]`. */
export function scrubPii(text: string): string {
	const kept: string[] = [];
	const shielded = text.replace(ISO_TIME, (m) => `\u0000${kept.push(m) - 1}\u0000`);
	return shielded
		.replace(EMAIL, '[email]')
		.replace(PHONE, '[phone]')
		.replace(/\u0000(\d+)\u0000/g, (_, i: string) => kept[Number(i)]!);
}

/** Every string inside `value` scrubbed (provider response bodies kept as error details). */
export function scrubPiiDeep<T>(value: T): T {
	if (typeof value === 'string') return scrubPii(value) as T;
	if (Array.isArray(value)) return value.map(scrubPiiDeep) as T;
	if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubPiiDeep(v)])) as T;
	return value;
}

const scrubInfo = (info: ChannelErrorInfo): ChannelErrorInfo => ({ ...info, code: scrubPii(info.code), detail: scrubPiiDeep(info.detail) });

export class TransientChannelError extends Error {
	override name = 'TransientChannelError';
	readonly retryable = true;
	readonly info: ChannelErrorInfo;
	constructor(message: string, info: ChannelErrorInfo) {
		super(scrubPii(message));
		this.info = scrubInfo(info);
	}
}

export class PermanentChannelError extends Error {
	override name = 'PermanentChannelError';
	readonly retryable = false;
	readonly info: ChannelErrorInfo;
	constructor(message: string, info: ChannelErrorInfo) {
		super(scrubPii(message));
		this.info = scrubInfo(info);
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
