import { twilioStatusResponse } from '$core/channels/webhooks/http';
import { appEnv, database } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** Twilio message status callbacks; authenticated by X-Twilio-Signature. */
export const POST: RequestHandler = async ({ request }) => {
	const env = appEnv();
	return twilioStatusResponse(request, { db: (await database()).db, authToken: env.TWILIO_AUTH_TOKEN, publicUrl: env.PUBLIC_URL });
};
