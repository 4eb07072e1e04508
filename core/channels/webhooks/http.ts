import type { Db } from '../../db/client';
import { apiError, issueDetails } from '../../http/index';
import {
	isFreshSendGridTimestamp,
	recordSendGridEvents,
	SendGridEvents,
	SENDGRID_SIGNATURE_HEADER,
	SENDGRID_TIMESTAMP_HEADER,
	verifySendGridSignature
} from './sendgrid';
import { handleInboundSms, recordTwilioStatus, twimlReply, TWILIO_SIGNATURE_HEADER, verifyTwilioSignature } from './twilio';

/*
 * Provider webhooks as Request → Response functions: verify the provider's signature over the raw body
 * first (so the body is read here as sent, not through core/http's JSON reader), then record. Unsigned or
 * wrongly signed requests change nothing. A webhook whose secret is not configured answers 503, so the
 * provider retries once it is, instead of us accepting unverifiable calls.
 */

const MAX_BODY = 5 * 1024 * 1024;

export type SendGridWebhookDeps = { db: Db; publicKey: string | undefined; now?: () => Date };

/** `POST /api/v1/webhooks/sendgrid`: SendGrid's signed event webhook (a JSON array of events). */
export async function sendGridWebhookResponse(request: Request, deps: SendGridWebhookDeps): Promise<Response> {
	if (!deps.publicKey) return apiError(503, 'webhook_not_configured', 'Set SENDGRID_WEBHOOK_PUBLIC_KEY to accept SendGrid events.');
	const raw = Buffer.from(await request.arrayBuffer());
	if (raw.length > MAX_BODY) return apiError(413, 'payload_too_large', 'Event batch too large.');
	const signature = request.headers.get(SENDGRID_SIGNATURE_HEADER);
	const timestamp = request.headers.get(SENDGRID_TIMESTAMP_HEADER);
	if (!signature || !timestamp || !verifySendGridSignature({ publicKey: deps.publicKey, rawBody: raw, signature, timestamp }))
		return apiError(401, 'invalid_signature', 'The event webhook signature does not verify.');
	// The timestamp is signed, so a replay cannot refresh it: an old batch is refused even with a valid signature.
	if (!isFreshSendGridTimestamp(timestamp, deps.now?.() ?? new Date()))
		return apiError(401, 'stale_signature', 'The event webhook timestamp is more than 5 minutes from now.');
	let body: unknown;
	try {
		body = JSON.parse(raw.toString('utf8'));
	} catch {
		return apiError(400, 'invalid_json', 'The request body is not valid JSON.');
	}
	const parsed = SendGridEvents.safeParse(body);
	if (!parsed.success) return apiError(400, 'invalid_request', 'Expected an array of SendGrid events.', issueDetails(parsed.error.issues.slice(0, 10)));
	return Response.json(await recordSendGridEvents(deps.db, parsed.data, deps.now?.() ?? new Date()));
}

export type TwilioWebhookDeps = { db: Db; authToken: string | undefined; publicUrl: string | undefined; helpText?: string; now?: () => Date };

/** The URL Twilio called, as Twilio saw it: behind a proxy our request URL is not it, PUBLIC_URL is. */
export function publicRequestUrl(requestUrl: string, publicUrl: string | undefined): string {
	if (!publicUrl) return requestUrl;
	const url = new URL(requestUrl);
	return new URL(url.pathname + url.search, publicUrl).toString();
}

type Verified = { ok: true; params: Record<string, string> } | { ok: false; response: Response };

async function verifiedTwilioForm(request: Request, deps: TwilioWebhookDeps): Promise<Verified> {
	if (!deps.authToken) return { ok: false, response: apiError(503, 'webhook_not_configured', 'Set TWILIO_AUTH_TOKEN to accept Twilio webhooks.') };
	const text = await request.text();
	if (text.length > MAX_BODY) return { ok: false, response: apiError(413, 'payload_too_large', 'Body too large.') };
	const params = Object.fromEntries(new URLSearchParams(text));
	const signature = request.headers.get(TWILIO_SIGNATURE_HEADER) ?? '';
	if (!signature || !verifyTwilioSignature({ authToken: deps.authToken, signature, url: publicRequestUrl(request.url, deps.publicUrl), params }))
		return { ok: false, response: apiError(403, 'invalid_signature', 'The X-Twilio-Signature does not verify.') };
	return { ok: true, params };
}

/** `POST /api/v1/webhooks/twilio/status?m=<our message id>`: delivery status callbacks. */
export async function twilioStatusResponse(request: Request, deps: TwilioWebhookDeps): Promise<Response> {
	const verified = await verifiedTwilioForm(request, deps);
	if (!verified.ok) return verified.response;
	const messageId = new URL(request.url).searchParams.get('m');
	const outcome = await recordTwilioStatus(deps.db, verified.params, messageId, deps.now?.() ?? new Date());
	return Response.json({ outcome });
}

export const DEFAULT_HELP_TEXT = 'Reply STOP to stop receiving texts, START to receive them again.';

/** `POST /api/v1/webhooks/twilio/inbound`: texts to our number. Answers TwiML (a reply to HELP, else none). */
export async function twilioInboundResponse(request: Request, deps: TwilioWebhookDeps): Promise<{ response: Response; eventIds: string[] }> {
	const verified = await verifiedTwilioForm(request, deps);
	if (!verified.ok) return { response: verified.response, eventIds: [] };
	const result = await handleInboundSms(deps.db, verified.params, { helpText: deps.helpText ?? DEFAULT_HELP_TEXT, now: deps.now?.() ?? new Date() });
	return { response: new Response(twimlReply(result.reply), { headers: { 'content-type': 'text/xml; charset=utf-8' } }), eventIds: result.eventIds };
}
