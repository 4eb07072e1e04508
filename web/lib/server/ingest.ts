import type { RequestHandler } from '@sveltejs/kit';
import { principalForKey } from '$core/auth/accounts';
import type { Db } from '$core/db/client';
import { handleIngest, inboxBacklog, InboxWriter, TokenBucketLimiter, type IngestEndpoint } from '$core/ingest/index';
import { denyApi } from './auth';
import { appEnv, database } from './context';

/** Per key and per process: bursts of 1,000 requests, 200 a second sustained (a batch counts as one). */
const limiter = new TokenBucketLimiter(1000, 200);

/** Browser tracking snippets post from the shop's own origin; write keys are public by design, cookies are not sent. */
const CORS: Record<string, string> = {
	'access-control-allow-origin': '*',
	'access-control-allow-methods': 'POST, OPTIONS',
	'access-control-allow-headers': 'authorization, content-type, content-encoding',
	'access-control-max-age': '86400'
};

/** How long a backlog count is reused: one count a second per process, however many requests arrive. */
const BACKLOG_TTL_MS = 1_000;
/** What a client is told to wait when the backlog is full (Segment's libraries honour Retry-After). */
export const BACKLOG_RETRY_AFTER_SECONDS = 5;

const KEY = Symbol.for('omnicanal.ingest-inbox');
type Shared = { db: Db; writer: InboxWriter; backlog?: { at: number; waiting: Promise<number> } };
type Holder = { [KEY]?: Shared };

/** The process's group-committing writer (one per database handle: tests restart the product in one process). */
function shared(db: Db): Shared {
	const holder = globalThis as Holder;
	if (holder[KEY]?.db !== db) holder[KEY] = { db, writer: new InboxWriter(db) };
	return holder[KEY];
}

/** 429 once INGEST_MAX_BACKLOG messages wait for the processor (counted at most once a second). */
async function backpressure(s: Shared): Promise<number | null> {
	const max = appEnv().INGEST_MAX_BACKLOG;
	if (max === 0) return null;
	const now = Date.now();
	if (!s.backlog || now - s.backlog.at > BACKLOG_TTL_MS) {
		const waiting = inboxBacklog(s.db).then((b) => b.waiting);
		s.backlog = { at: now, waiting };
		waiting.catch(() => (s.backlog = undefined));
	}
	return (await s.backlog.waiting) >= max ? BACKLOG_RETRY_AFTER_SECONDS : null;
}

/**
 * POST handler for one Segment endpoint: write key (Basic username or Bearer before the body is read, else the
 * body's `writeKey`), then the messages are appended to the inbox; the worker's processor resolves and routes them.
 */
export function ingestEndpoint(endpoint: IngestEndpoint): RequestHandler {
	return async ({ request, locals }) => {
		const { db } = await database();
		const s = shared(db);
		const { response } = await handleIngest(endpoint, request, {
			db,
			inbox: s.writer,
			limiter,
			backpressure: () => backpressure(s),
			authorize: async (bodyWriteKey) => {
				const principal = locals.principal ?? (bodyWriteKey ? await principalForKey(db, bodyWriteKey) : null);
				const denied = denyApi(principal, 'events:write');
				if (denied || !principal) return { ok: false, response: denied! };
				return { ok: true, rateKey: principal.kind === 'key' ? `key:${principal.keyId}` : `user:${principal.user.id}` };
			},
			logError: (err) => console.error('ingest failed:', err)
		});
		for (const [name, value] of Object.entries(CORS)) response.headers.set(name, value);
		return response;
	};
}

export const ingestPreflight: RequestHandler = () => new Response(null, { status: 204, headers: CORS });
