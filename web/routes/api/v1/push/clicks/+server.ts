import { json } from '@sveltejs/kit';
import { recordPushClick, verifyPushClick } from '$core/channels/push/clicks';
import { channelSettings } from '$core/channels/providers';
import { appEnv, database } from '$lib/server/context';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * `POST /api/v1/push/clicks?m=<message id>&t=<token>`: the shop's service worker reports a click on a push
 * notification; the signed token (core/channels/push/clicks.ts) is the authentication. → `{ outcome }`.
 */
export const POST: RequestHandler = async ({ url }) => {
	const messageId = url.searchParams.get('m') ?? '';
	const token = url.searchParams.get('t') ?? '';
	if (!messageId || !token) return apiError(400, 'invalid_request', 'Expected the message id (m) and its token (t).');
	if (!verifyPushClick(channelSettings(appEnv()).appSecret, messageId, token)) return apiError(403, 'invalid_signature', 'The click token does not verify.');
	const { db } = await database();
	return json({ outcome: await recordPushClick(db, messageId, new Date()) });
};
