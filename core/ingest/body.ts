/** Segment's limit for one request (a batch); bigger bodies are refused before they are read whole. */
export const MAX_BODY_BYTES = 500 * 1024;

/**
 * An oversized body is still read (and dropped) up to this much: answering before the client finished sending
 * makes Node reset the connection, and the client would see a network error instead of our 413. Beyond it we
 * stop listening. (In production adapter-node refuses bodies over its BODY_SIZE_LIMIT, 512 KiB, first.)
 */
const MAX_DRAIN_BYTES = 4 * 1024 * 1024;

export type BodyFailure = { status: 400 | 413 | 415; code: string; message: string };

async function readCapped(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | null> {
	const reader = stream.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > MAX_DRAIN_BYTES) {
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

/**
 * The request's JSON body, at most `maxBytes` (after gzip, which Segment's clients may use), counted as it
 * streams rather than trusting Content-Length. Every failure is a 4xx with a reason, never an exception.
 */
export async function readJsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<{ ok: true; body: unknown } | { ok: false; failure: BodyFailure }> {
	const tooLarge: BodyFailure = { status: 413, code: 'payload_too_large', message: `The body exceeds ${maxBytes} bytes.` };
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > MAX_DRAIN_BYTES) return { ok: false, failure: tooLarge };
	const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
	if (encoding !== 'identity' && encoding !== 'gzip') {
		return { ok: false, failure: { status: 415, code: 'unsupported_encoding', message: 'Send the body as identity or gzip.' } };
	}
	let bytes: Uint8Array | null;
	try {
		const raw = request.body ?? new Response('').body!;
		bytes = await readCapped(encoding === 'gzip' ? raw.pipeThrough(new DecompressionStream('gzip')) : raw, maxBytes);
	} catch {
		return { ok: false, failure: { status: 400, code: 'invalid_body', message: 'The body could not be read (bad gzip?).' } };
	}
	if (!bytes) return { ok: false, failure: tooLarge };
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return { ok: false, failure: { status: 400, code: 'invalid_json', message: 'The body is not UTF-8.' } };
	}
	try {
		return { ok: true, body: JSON.parse(text) as unknown };
	} catch {
		return { ok: false, failure: { status: 400, code: 'invalid_json', message: 'The body is not valid JSON.' } };
	}
}
