import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiKey, principalForKey } from '../../core/auth/accounts';
import type { DbHandle } from '../../core/db/client';
import { events } from '../../core/db/schema/events';
import { ingestInbox } from '../../core/db/schema/inbox';
import { handleIngest, processInbox, TokenBucketLimiter, type IngestEndpoint, type IngestHttpDeps } from '../../core/ingest/index';
import { dbKinds, freshDb } from '../helpers/db';

type ErrorBody = { error: { code: string; message: string; details: unknown } };

for (const kind of dbKinds()) {
	describe(`ingest HTTP handling (${kind})`, () => {
		let h: DbHandle;
		let key: string;
		let deps: IngestHttpDeps;
		/** What the request's Authorization header carries (undefined: no header credential). */
		let headerKey: string | undefined;
		beforeEach(async () => {
			h = await freshDb(kind);
			key = (await createApiKey(h.db, { name: 'test', kind: 'write', role: 'marketer' })).key;
			headerKey = key;
			deps = {
				db: h.db,
				limiter: new TokenBucketLimiter(100, 10),
				// As the web app does: the header key, else the body's writeKey.
				authorize: async (bodyKey) => {
					const candidate = headerKey ?? bodyKey;
					const p = candidate ? await principalForKey(h.db, candidate) : null;
					return p?.kind === 'key'
						? { ok: true, rateKey: p.keyId }
						: { ok: false, response: Response.json({ error: { code: 'unauthorized', message: 'no', details: null } }, { status: 401 }) };
				}
			};
		});
		afterEach(async () => {
			await h.close();
		});

		const post = (endpoint: IngestEndpoint, body: BodyInit, headers: Record<string, string> = {}) =>
			handleIngest(
				endpoint,
				new Request(`http://localhost/api/v1/${endpoint}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }),
				deps
			);
		const json = (endpoint: IngestEndpoint, value: unknown) => post(endpoint, JSON.stringify(value));

		it('appends a track call to the inbox and answers like Segment with the id the processed event gets', async () => {
			const { response, eventIds } = await json('track', { userId: 'u', event: 'order_completed', messageId: 'm-1', properties: { total: 3 } });
			expect(response.status).toBe(200);
			expect(await response.json()).toEqual({ ok: true, success: true, accepted: [{ messageId: 'm-1', eventId: eventIds[0], duplicate: false }] });
			expect(await h.db.$count(ingestInbox)).toBe(1);
			expect(await h.db.$count(events)).toBe(0);
			// A retry before processing is answered with the same event, and nothing is written twice.
			const again = await json('track', { userId: 'u', event: 'order_completed', messageId: 'm-1' });
			expect(((await again.response.json()) as { accepted: unknown[] }).accepted).toEqual([{ messageId: 'm-1', eventId: eventIds[0], duplicate: true }]);
			expect(await processInbox(h.db)).toMatchObject({ processed: 1, failed: 0 });
			const [row] = await h.db.select().from(events);
			expect(row).toMatchObject({ id: eventIds[0], messageId: 'm-1' });
			expect(await h.db.$count(ingestInbox)).toBe(0);
			// ... and after processing too.
			const late = await json('track', { userId: 'u', event: 'order_completed', messageId: 'm-1' });
			expect(((await late.response.json()) as { accepted: unknown[] }).accepted).toEqual([{ messageId: 'm-1', eventId: eventIds[0], duplicate: true }]);
			expect(await h.db.$count(ingestInbox)).toBe(0);
		});

		it('429 backlog_full with Retry-After when the processor is too far behind, before reading the body', async () => {
			deps.backpressure = async () => 5;
			const { response } = await json('track', { userId: 'u', event: 'x' });
			expect(response.status).toBe(429);
			expect(response.headers.get('retry-after')).toBe('5');
			expect(((await response.json()) as ErrorBody).error.code).toBe('backlog_full');
			expect(await h.db.$count(ingestInbox)).toBe(0);
		});

		it('gives batch messages the envelope context and sentAt (message keys win)', async () => {
			const body = {
				sentAt: new Date().toISOString(),
				context: { locale: 'fr-FR', ip: '10.0.0.1' },
				batch: [{ type: 'page', anonymousId: 'a', context: { ip: '10.0.0.2' } }]
			};
			expect((await json('batch', body)).response.status).toBe(200);
			await processInbox(h.db);
			const [row] = await h.db.select().from(events);
			expect(row!.context).toEqual({ locale: 'fr-FR', ip: '10.0.0.2' });
		});

		it('accepts gzip bodies', async () => {
			const { response } = await post('identify', gzipSync(JSON.stringify({ userId: 'u', traits: { a: 1 } })), { 'content-encoding': 'gzip' });
			expect(response.status).toBe(200);
		});

		it('400 for bad JSON, a non-object, and invalid messages, with the paths of the problems', async () => {
			const bad = await post('track', '{"userId":');
			expect(bad.response.status).toBe(400);
			expect(((await bad.response.json()) as ErrorBody).error.code).toBe('invalid_json');
			expect((await json('track', [1, 2])).response.status).toBe(400);
			const single = await json('track', { userId: 'u' });
			expect(((await single.response.json()) as ErrorBody).error).toMatchObject({ code: 'invalid_request', details: [{ path: 'event' }] });
			const batch = await json('batch', {
				batch: [
					{ type: 'track', userId: 'u', event: 'ok' },
					{ type: 'track', anonymousId: 'a' }
				]
			});
			expect(batch.response.status).toBe(400);
			expect(((await batch.response.json()) as ErrorBody).error.details).toEqual([{ path: 'batch.1.event', message: expect.any(String) }]);
			expect(await h.db.$count(ingestInbox)).toBe(0);
		});

		it('401 without a valid key, even with a good body', async () => {
			deps.authorize = async () => ({ ok: false, response: Response.json({ error: { code: 'unauthorized', message: 'no', details: null } }, { status: 401 }) });
			expect((await json('track', { userId: 'u', event: 'x' })).response.status).toBe(401);
			expect(await h.db.$count(ingestInbox)).toBe(0);
		});

		it('uses the body writeKey for clients that cannot send headers', async () => {
			const other = await createApiKey(h.db, { name: 'other', kind: 'write', role: 'marketer' });
			headerKey = undefined;
			const spy = vi.spyOn(deps, 'authorize');
			const { response } = await json('track', { writeKey: other.key, userId: 'u', event: 'x' });
			expect(response.status).toBe(200);
			// The header first (before the body is read), then the body's key.
			expect(spy.mock.calls).toEqual([[undefined], [other.key]]);
		});

		it('refuses an unauthenticated compressed body without reading it, and a wrong body key after reading a plain one', async () => {
			headerKey = undefined;
			let pulled = 0;
			const packed = gzipSync(JSON.stringify({ writeKey: key, userId: 'u', event: 'x' }));
			const body = new ReadableStream<Uint8Array>(
				{
					pull(c) {
						pulled++;
						c.enqueue(packed);
						c.close();
					}
				},
				{ highWaterMark: 0 } // pulled only when someone reads
			);
			const request = new Request('http://localhost/api/v1/track', {
				method: 'POST',
				body,
				duplex: 'half',
				headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }
			} as RequestInit);
			const { response } = await handleIngest('track', request, deps);
			expect(response.status).toBe(401);
			expect(pulled).toBe(0);
			expect(request.bodyUsed).toBe(false);
			expect((await json('track', { writeKey: 'oc_write_wrong', userId: 'u', event: 'x' })).response.status).toBe(401);
			expect((await json('track', { userId: 'u', event: 'x' })).response.status).toBe(401);
			expect(await h.db.$count(ingestInbox)).toBe(0);
		});

		it('413 payload_too_large for a gzip bomb: inflation stops at the limit', async () => {
			// 64 MB of zeros compress to ~64 KB: a small request that would inflate a thousand-fold.
			const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
			const t0 = performance.now();
			const { response } = await post('batch', bomb, { 'content-encoding': 'gzip' });
			expect(response.status).toBe(413);
			expect(((await response.json()) as ErrorBody).error.code).toBe('payload_too_large');
			expect(performance.now() - t0).toBeLessThan(2_000);
		});

		it('413 for bodies over 500 KB (declared or streamed) and batches over 500 messages', async () => {
			const big = JSON.stringify({ userId: 'u', event: 'x', properties: { pad: 'x'.repeat(520 * 1024) } });
			const declared = await post('track', big, { 'content-length': String(Buffer.byteLength(big)) });
			expect(declared.response.status).toBe(413);
			expect(((await declared.response.json()) as ErrorBody).error.code).toBe('payload_too_large');
			// Far beyond what is worth draining: refused from the header alone.
			const huge = await handleIngest(
				'track',
				new Request('http://localhost/api/v1/track', { method: 'POST', body: 'x', headers: { 'content-length': String(5 * 1024 * 1024) } }),
				deps
			);
			expect(huge.response.status).toBe(413);
			const stream = new ReadableStream<Uint8Array>({
				start(c) {
					c.enqueue(new TextEncoder().encode(big));
					c.close();
				}
			});
			const streamed = await handleIngest(
				'track',
				new Request('http://localhost/api/v1/track', { method: 'POST', body: stream, duplex: 'half' } as RequestInit),
				deps
			);
			expect(streamed.response.status).toBe(413);
			const many = await json('batch', { batch: Array.from({ length: 501 }, (_, i) => ({ type: 'page', anonymousId: `a${i}` })) });
			expect(many.response.status).toBe(413);
			expect(((await many.response.json()) as ErrorBody).error.code).toBe('too_many_messages');
		});

		it('415 for encodings it cannot read', async () => {
			expect((await post('track', 'x', { 'content-encoding': 'br' })).response.status).toBe(415);
		});

		it('429 with Retry-After once the key has spent its bucket', async () => {
			deps.limiter = new TokenBucketLimiter(2, 0.5);
			const codes = [];
			for (let i = 0; i < 3; i++) codes.push((await json('page', { anonymousId: 'a' })).response.status);
			expect(codes).toEqual([200, 200, 429]);
			const limited = await json('page', { anonymousId: 'a' });
			expect(limited.response.headers.get('retry-after')).toBe('2');
		});

		it('500 (logged, retryable) only when the database itself fails', async () => {
			const logError = vi.fn();
			deps.logError = logError;
			await h.db.execute('alter table ingest_inbox rename to inbox_gone');
			const r = await json('track', { userId: 'u', event: 'x' });
			expect(r.response.status).toBe(500);
			expect(logError).toHaveBeenCalledOnce();
			await h.db.execute('alter table inbox_gone rename to ingest_inbox');
		});

		it('never answers 500 to any body a client could send', async () => {
			await fc.assert(
				fc.asyncProperty(
					fc.constantFrom<IngestEndpoint>('track', 'identify', 'batch', 'alias'),
					fc.oneof(
						fc.string({ unit: 'binary' }),
						fc.json(),
						fc.jsonValue().map((v) => JSON.stringify({ batch: [v] }))
					),
					async (endpoint, body) => {
						const { response } = await post(endpoint, body);
						expect([200, 400, 413]).toContain(response.status);
						if (response.status !== 200) expect(((await response.json()) as ErrorBody).error.code).toEqual(expect.any(String));
					}
				),
				{ numRuns: 100 }
			);
		});
	});
}
