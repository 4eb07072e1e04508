import { json } from '@sveltejs/kit';
import type { ZodError } from 'zod';

/** Every API error has one shape: `{ error: { code, message, details } }`. */
export function apiError(status: number, code: string, message: string, details?: unknown): Response {
	return json({ error: { code, message, ...(details === undefined ? {} : { details }) } }, { status });
}

export function validationError(err: ZodError): Response {
	return apiError(400, 'invalid_request', 'The request body is not valid.', err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}

/** Reads a JSON body, mapping malformed JSON to 400 and oversize bodies to 413 instead of a 500. */
export async function readJson(request: Request, maxBytes = 512 * 1024): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
	const text = await request.text();
	if (Buffer.byteLength(text) > maxBytes) return { ok: false, response: apiError(413, 'payload_too_large', `Body exceeds ${maxBytes} bytes.`) };
	try {
		return { ok: true, body: text === '' ? {} : JSON.parse(text) };
	} catch {
		return { ok: false, response: apiError(400, 'invalid_json', 'The request body is not valid JSON.') };
	}
}
