import type { z } from 'zod';
import { ApiError, issueDetails } from './errors';

/*
 * The one request-body reader of every JSON API: size counted as the body streams (never trusting
 * Content-Length), optional gzip (Segment's clients compress), strict UTF-8, a nesting limit, then JSON.
 * Failures throw ApiError (4xx with a reason), never anything the caller must turn into a 500.
 */

/** The default size limit of a JSON API body (adapter-node refuses bodies over 512 KiB before us anyway). */
export const MAX_JSON_BODY_BYTES = 512 * 1024;

/**
 * Nesting deeper than this is a bug or an attack. Above the 32 levels stored JSON may have (core/ingest/json.ts),
 * so an ingest message's own validation still names the path that is too deep.
 */
export const MAX_BODY_DEPTH = 64;

/**
 * An oversized body is still read (and dropped) up to this much: answering before the client finished sending
 * makes Node reset the connection, and the client would see a network error instead of our 413. Beyond it we
 * stop listening.
 */
const MAX_DRAIN_BYTES = 4 * 1024 * 1024;

export type BodyOptions = {
	/** Default MAX_JSON_BODY_BYTES; counted after gzip. */
	maxBytes?: number;
	/** Accept `Content-Encoding: gzip`. */
	gzip?: boolean;
	/** What an empty (or blank) body means; without it an empty body is not valid JSON. */
	empty?: unknown;
};

/** `drainBytes`: how far past `maxBytes` to keep reading (and dropping) before giving up; see MAX_DRAIN_BYTES. */
async function readCapped(stream: ReadableStream<Uint8Array>, maxBytes: number, drainBytes = MAX_DRAIN_BYTES): Promise<Uint8Array | null> {
	const reader = stream.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > drainBytes) {
			await reader.cancel().catch(() => {});
			return null;
		}
		if (size <= maxBytes) chunks.push(value);
	}
	if (size > maxBytes) return null;
	const out = new Uint8Array(size);
	let offset = 0;
	for (const c of chunks) {
		out.set(c, offset);
		offset += c.byteLength;
	}
	return out;
}

/** The deepest nesting of `[` and `{` outside strings: one pass over the text, before JSON.parse recurses. */
export function jsonDepth(text: string): number {
	let depth = 0;
	let deepest = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c)
				i++; // backslash: skip the escaped character
			else if (c === 0x22) inString = false;
		} else if (c === 0x22) inString = true;
		else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
		else if (c === 0x5d || c === 0x7d) depth--;
	}
	return deepest;
}

/** The request's body as text, within `maxBytes` and valid UTF-8. */
export async function readBodyText(request: Request, opts: Pick<BodyOptions, 'maxBytes' | 'gzip'> = {}): Promise<string> {
	const maxBytes = opts.maxBytes ?? MAX_JSON_BODY_BYTES;
	// Made when needed: an Error captures a stack, which every accepted request would pay for.
	const tooLarge = () => new ApiError(413, 'payload_too_large', `The body exceeds ${maxBytes} bytes.`);
	// A declared size over the limit is refused without looking at the body: beyond MAX_DRAIN_BYTES at once, below
	// it after discarding the bytes unread (never inflated, never kept) so the client's connection stays usable.
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > MAX_DRAIN_BYTES) throw tooLarge();
	if (declared > maxBytes) {
		await readCapped(request.body ?? new Response('').body!, 0).catch(() => null);
		throw tooLarge();
	}
	const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
	if (encoding !== 'identity' && !(opts.gzip && encoding === 'gzip')) {
		throw new ApiError(415, 'unsupported_encoding', opts.gzip ? 'Send the body as identity or gzip.' : 'Send the body uncompressed.');
	}
	let bytes: Uint8Array | null;
	try {
		const raw = request.body ?? new Response('').body!;
		// Decompressed output stops at the limit itself: a small gzip bomb never inflates past maxBytes.
		bytes = await (encoding === 'gzip' ? readCapped(raw.pipeThrough(new DecompressionStream('gzip')), maxBytes, maxBytes) : readCapped(raw, maxBytes));
	} catch (err) {
		// The server's own body limit (adapter-node's BODY_SIZE_LIMIT errors the stream with a 413).
		if ((err as { status?: unknown } | null)?.status === 413) throw tooLarge();
		throw new ApiError(400, 'invalid_body', 'The body could not be read (bad gzip?).');
	}
	if (!bytes) throw tooLarge();
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw new ApiError(400, 'invalid_json', 'The body is not UTF-8.');
	}
}

/** The request's JSON body (see BodyOptions); throws ApiError. */
export async function readJsonBody(request: Request, opts: BodyOptions = {}): Promise<unknown> {
	const text = await readBodyText(request, opts);
	if (opts.empty !== undefined && text.trim() === '') return opts.empty;
	if (jsonDepth(text) > MAX_BODY_DEPTH) throw new ApiError(400, 'invalid_json', `The body is nested deeper than ${MAX_BODY_DEPTH} levels.`);
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.');
	}
}

/** A JSON body validated by `schema`; an empty body counts as `{}`. 400 `invalid_request` lists every issue. */
export async function readValidBody<S extends z.ZodType>(request: Request, schema: S, opts: BodyOptions = {}): Promise<z.infer<S>> {
	const body = await readJsonBody(request, { empty: {}, ...opts });
	const parsed = schema.safeParse(body);
	if (!parsed.success) throw new ApiError(400, 'invalid_request', 'The request body is not valid.', issueDetails(parsed.error.issues));
	return parsed.data;
}

/** Query parameters validated by `schema` (each parameter once, as a string). */
export function validQuery<S extends z.ZodType>(url: URL, schema: S): z.infer<S> {
	const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) throw new ApiError(400, 'invalid_request', 'The query string is not valid.', issueDetails(parsed.error.issues));
	return parsed.data;
}
