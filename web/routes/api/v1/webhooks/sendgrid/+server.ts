import { sendGridWebhookResponse } from '$core/channels/webhooks/http';
import { appEnv, database } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** SendGrid's signed event webhook; authenticated by its ECDSA signature, not by an API key. */
export const POST: RequestHandler = async ({ request }) =>
	sendGridWebhookResponse(request, { db: (await database()).db, publicKey: appEnv().SENDGRID_WEBHOOK_PUBLIC_KEY });
