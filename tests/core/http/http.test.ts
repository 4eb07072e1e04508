import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
	ApiError,
	apiError,
	jsonDepth,
	MAX_BODY_DEPTH,
	readJsonBody,
	readValidBody,
	refusalResponse,
	validQuery,
	withApiErrors
} from '../../../core/http/index';
import { IngestValidationError } from '../../../core/ingest/errors';
import { JourneyError } from '../../../core/journeys/errors';

const post = (body: BodyInit, headers: Record<string, string> = {}) => new Request('http://x/api', { method: 'POST', body, headers });

async function refusal(promise: Promise<unknown>): Promise<{ status: number; body: unknown }> {
	const response = refusalResponse(
		await promise.then(
			() => expect.fail('expected a refusal'),
			(err: unknown) => err
		)
	);
	return { status: response.status, body: await response.json() };
}

describe('the error shape', () => {
	it('always carries details, null when there are none', async () => {
		expect(await apiError(404, 'not_found', 'Nothing here.').json()).toEqual({ error: { code: 'not_found', message: 'Nothing here.', details: null } });
		const limited = apiError(429, 'rate_limited', 'Slow down.', { retryAfterSeconds: 3 }, { 'retry-after': '3' });
		expect(limited.headers.get('retry-after')).toBe('3');
		expect(await limited.json()).toEqual({ error: { code: 'rate_limited', message: 'Slow down.', details: { retryAfterSeconds: 3 } } });
	});

	it('maps business refusals to their status in one place, and rethrows the rest', async () => {
		const conflict = await withApiErrors(async () => {
			throw new JourneyError('draft_conflict', 'Someone saved first.', undefined, { revision: 4 });
		});
		expect(conflict.status).toBe(409);
		expect(await conflict.json()).toEqual({ error: { code: 'draft_conflict', message: 'Someone saved first.', details: { revision: 4 } } });
		const invalid = refusalResponse(new IngestValidationError([{ path: [0, 'event'], message: 'Required' }]));
		expect(invalid.status).toBe(400);
		expect(await invalid.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ path: '0.event', message: 'Required' }] } });
		expect(refusalResponse(new ApiError(418, 'teapot', 'No.')).status).toBe(418);
		const bug = new TypeError('boom');
		await expect(withApiErrors(async () => Promise.reject(bug))).rejects.toBe(bug);
	});
});

describe('the body reader', () => {
	it('reads JSON, plain or gzipped when allowed', async () => {
		expect(await readJsonBody(post('{"a":[1,2]}'))).toEqual({ a: [1, 2] });
		expect(await readJsonBody(post(gzipSync('{"z":1}'), { 'content-encoding': 'gzip' }), { gzip: true })).toEqual({ z: 1 });
		expect(await refusal(readJsonBody(post(gzipSync('{"z":1}'), { 'content-encoding': 'gzip' })))).toMatchObject({ status: 415 });
	});

	it('refuses oversized, non-UTF-8, malformed and too deeply nested bodies with a 4xx', async () => {
		expect(await refusal(readJsonBody(post(JSON.stringify({ s: 'x'.repeat(2000) })), { maxBytes: 1000 }))).toEqual({
			status: 413,
			body: { error: { code: 'payload_too_large', message: 'The body exceeds 1000 bytes.', details: null } }
		});
		expect(await refusal(readJsonBody(post(new Uint8Array([0x22, 0xff, 0x22]))))).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
		expect(await refusal(readJsonBody(post('{"a":')))).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
		const deep = '['.repeat(MAX_BODY_DEPTH + 1) + ']'.repeat(MAX_BODY_DEPTH + 1);
		expect(await refusal(readJsonBody(post(deep)))).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
		expect(await readJsonBody(post('['.repeat(MAX_BODY_DEPTH) + ']'.repeat(MAX_BODY_DEPTH)))).toBeInstanceOf(Array);
	});

	it('counts nesting outside strings only', () => {
		expect(jsonDepth('{"a":"[[[[{{","b":[{"c":"\\"]"}]}')).toBe(3);
	});

	it('validates with zod, one detail per issue; an empty body is {}', async () => {
		const Schema = z.object({ cartId: z.string().min(1), holdSeconds: z.number().int().optional() });
		expect(await readValidBody(post('{"cartId":"c1"}'), Schema)).toEqual({ cartId: 'c1' });
		expect(await refusal(readValidBody(post(''), Schema))).toMatchObject({
			status: 400,
			body: { error: { code: 'invalid_request', details: [{ path: 'cartId' }] } }
		});
		expect(await refusal(readValidBody(post('{"cartId":"","holdSeconds":1.5}'), Schema))).toMatchObject({
			body: { error: { details: [{ path: 'cartId' }, { path: 'holdSeconds' }] } }
		});
		expect(() => validQuery(new URL('http://x/?page=0'), z.object({ page: z.coerce.number().min(1) }))).toThrow(ApiError);
	});
});
