import { json } from '@sveltejs/kit';
import { createProviders, sendTestMessage, TestSendError, testSendErrorStatus, TestSendInput } from '$core/channels/index';
import { getJourney } from '$core/journeys/index';
import { appEnv, database } from '$lib/server/context';
import { apiError } from '$lib/server/http';
import { journeyApi, parseBody } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/**
 * `POST /api/v1/journeys/{id}/test-send` `{ node, to, customerId?, entryEvent? }` → `{ test: { messageId, channel,
 * provider, to, status, subject } }`: one email or SMS to `to`, marked as a test (`[Test] ` prefix, `meta.test`),
 * never tied to an enrollment. 429 `rate_limited` past 10 per 10 minutes per caller; 502 when the provider refuses.
 */
export const POST: RequestHandler = ({ locals, params, request }) =>
	journeyApi(locals.principal, 'journeys:write', async () => {
		const body = await parseBody(request, TestSendInput);
		if (!body.ok) return body.response;
		const { db } = await database();
		await getJourney(db, params.id);
		const principal = locals.principal!;
		const requestedBy = principal.kind === 'user' ? `user:${principal.user.id}` : `key:${principal.keyId}`;
		try {
			return json({ test: await sendTestMessage(db, createProviders(appEnv()), { ...body.data, journeyId: params.id, requestedBy }) });
		} catch (err) {
			if (!(err instanceof TestSendError)) throw err;
			const response = apiError(testSendErrorStatus(err.code), err.code, err.message, err.details);
			if (err.code === 'rate_limited') response.headers.set('retry-after', String(err.details?.retryAfterSeconds ?? 600));
			return response;
		}
	});
