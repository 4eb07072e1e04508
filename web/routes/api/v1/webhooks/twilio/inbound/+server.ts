import { twilioInboundResponse } from '$core/channels/webhooks/http';
import { appEnv, database } from '$lib/server/context';
import { notifyRouter } from '$lib/server/routing';
import type { RequestHandler } from './$types';

/** Texts to our number (STOP/START/HELP and replies); authenticated by X-Twilio-Signature; answers TwiML. */
export const POST: RequestHandler = async ({ request }) => {
	const env = appEnv();
	const { response, eventIds } = await twilioInboundResponse(request, {
		db: (await database()).db,
		authToken: env.TWILIO_AUTH_TOKEN,
		publicUrl: env.PUBLIC_URL
	});
	notifyRouter(eventIds);
	return response;
};
