import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { allowedPushOrigins, PushSubscriptionInput } from '$core/channels/push/subscriptions';
import { PushSubscribeError, subscribeBrowser, unsubscribeBrowser } from '$core/channels/push/subscribe';
import { customerByIdentity } from '$core/identity/lookup';
import { normalizeId } from '$core/identity/normalize';
import { appEnv, database } from '$lib/server/context';
import { apiError } from '$lib/server/http';
import { parseBody } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/**
 * Web push subscriptions from any shop's backend, with a write key (as events are sent):
 * - `POST { userId?, anonymousId?, subscription, userAgent? }` → 201 `{ customerId, devices }`: the browser's
 *   PushSubscription JSON stored on that person's profile (created or merged as ingest would), `push` consent
 *   granted. 422 `unsupported_endpoint` for an endpoint that is not a browser push service.
 * - `DELETE { userId?, anonymousId?, endpoint }` → `{ removed, devices }`: that browser turned notifications off.
 * The service worker that shows the notifications is the shop's own (ours for the demo: web/static/shop/push-sw.js).
 */
const Who = { userId: z.string().max(500).optional(), anonymousId: z.string().max(500).optional() };
const Subscribe = z.object({ ...Who, subscription: PushSubscriptionInput, userAgent: z.string().max(500).optional() });
const Unsubscribe = z.object({ ...Who, endpoint: z.string().url().max(2000) });

export const POST: RequestHandler = async ({ request }) => {
	const body = await parseBody(request, Subscribe);
	if (!body.ok) return body.response;
	const { db } = await database();
	try {
		const result = await subscribeBrowser(db, {
			userId: body.data.userId,
			anonymousId: body.data.anonymousId,
			subscription: body.data.subscription,
			userAgent: body.data.userAgent ?? null,
			allowedOrigins: allowedPushOrigins(appEnv().WEB_PUSH_ALLOWED_ORIGINS),
			source: 'api',
			now: new Date()
		});
		return json(result, { status: 201 });
	} catch (err) {
		if (err instanceof PushSubscribeError) return apiError(422, err.code, err.message);
		throw err;
	}
};

export const DELETE: RequestHandler = async ({ request }) => {
	const body = await parseBody(request, Unsubscribe);
	if (!body.ok) return body.response;
	const { db } = await database();
	const userId = normalizeId(body.data.userId);
	const anonymousId = normalizeId(body.data.anonymousId);
	const customerId =
		(userId ? await customerByIdentity(db, 'userId', userId) : null) ?? (anonymousId ? await customerByIdentity(db, 'anonymousId', anonymousId) : null);
	if (!customerId) return apiError(404, 'customer_not_found', 'No customer has this userId or anonymousId.');
	return json(await unsubscribeBrowser(db, { customerId, endpoint: body.data.endpoint, now: new Date() }));
};
