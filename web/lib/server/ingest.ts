import type { RequestHandler } from '@sveltejs/kit';
import { principalForKey } from '$core/auth/accounts';
import { handleIngest, TokenBucketLimiter, type IngestEndpoint } from '$core/ingest/index';
import { denyApi } from './auth';
import { database } from './context';
import { notifyRouter } from './routing';

/** Per key and per process: bursts of 1,000 requests, 200 a second sustained (a batch counts as one). */
const limiter = new TokenBucketLimiter(1000, 200);

/** Browser tracking snippets post from the shop's own origin; write keys are public by design, cookies are not sent. */
const CORS: Record<string, string> = {
	'access-control-allow-origin': '*',
	'access-control-allow-methods': 'POST, OPTIONS',
	'access-control-allow-headers': 'authorization, content-type, content-encoding',
	'access-control-max-age': '86400'
};

/** POST handler for one Segment endpoint: write key (Basic username, Bearer, or the body's `writeKey`), then ingest. */
export function ingestEndpoint(endpoint: IngestEndpoint): RequestHandler {
	return async ({ request, locals }) => {
		const { db } = await database();
		const { response, eventIds } = await handleIngest(endpoint, request, {
			db,
			limiter,
			authorize: async (bodyWriteKey) => {
				const principal = locals.principal ?? (bodyWriteKey ? await principalForKey(db, bodyWriteKey) : null);
				const denied = denyApi(principal, 'events:write');
				if (denied || !principal) return { ok: false, response: denied! };
				return { ok: true, rateKey: principal.kind === 'key' ? `key:${principal.keyId}` : `user:${principal.user.id}` };
			},
			logError: (err) => console.error('ingest failed:', err)
		});
		// The events are committed: hand them to the router (it also sweeps any it misses).
		notifyRouter(eventIds);
		for (const [name, value] of Object.entries(CORS)) response.headers.set(name, value);
		return response;
	};
}

export const ingestPreflight: RequestHandler = () => new Response(null, { status: 204, headers: CORS });
