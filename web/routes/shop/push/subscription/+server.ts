import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { allowedPushOrigins, PushSubscriptionInput } from '$core/channels/push/subscriptions';
import { PushSubscribeError, subscribeBrowser, unsubscribeBrowser } from '$core/channels/push/subscribe';
import { customerByIdentity } from '$core/identity/lookup';
import { appEnv, database } from '$lib/server/context';
import { apiError } from '$lib/server/http';
import { parseBody } from '$lib/server/journeys-api';
import { shopVisitor } from '../../session.server';
import { trackView } from '../../tracking.server';
import type { RequestHandler } from './$types';

/**
 * The demo shop's web push opt-in (web/lib/shop/PushOptIn.svelte):
 * - `POST` a browser's PushSubscription JSON → 201 `{ subscribed: true, devices }`: stored on the visitor's
 *   profile, `push` consent granted. An endpoint that is not a browser push service answers 422
 *   `unsupported_endpoint`; a malformed subscription 400 `invalid_request` with the fields at fault.
 * - `DELETE` `{ endpoint }` → `{ removed, devices }`: this browser turned notifications off.
 */
export const POST: RequestHandler = async (event) => {
	const body = await parseBody(event.request, PushSubscriptionInput);
	if (!body.ok) return body.response;
	const visitor = await shopVisitor(event);
	const { db } = await database();
	try {
		const result = await subscribeBrowser(db, {
			anonymousId: visitor.anonymousId,
			source: 'shop_opt_in',
			subscription: body.data,
			userAgent: event.request.headers.get('user-agent'),
			allowedOrigins: allowedPushOrigins(appEnv().WEB_PUSH_ALLOWED_ORIGINS),
			now: new Date()
		});
		await trackView(event, visitor, [{ type: 'track', event: 'push_subscribed', properties: { devices: result.devices } }]);
		return json({ subscribed: true, devices: result.devices }, { status: 201 });
	} catch (err) {
		if (err instanceof PushSubscribeError) return apiError(422, err.code, err.message);
		throw err;
	}
};

const Unsubscribe = z.object({ endpoint: z.string().url().max(2000) });

export const DELETE: RequestHandler = async (event) => {
	const body = await parseBody(event.request, Unsubscribe);
	if (!body.ok) return body.response;
	const visitor = await shopVisitor(event);
	const { db } = await database();
	const customerId = await customerByIdentity(db, 'anonymousId', visitor.anonymousId);
	const result = await unsubscribeBrowser(db, { customerId, endpoint: body.data.endpoint, now: new Date() });
	if (result.removed) await trackView(event, visitor, [{ type: 'track', event: 'push_unsubscribed', properties: { devices: result.devices } }]);
	return json(result);
};
