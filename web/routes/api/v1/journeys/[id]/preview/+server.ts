import { json } from '@sveltejs/kit';
import { createProviders, previewStep, StepPreviewInput, TestSendError, testSendErrorStatus } from '$core/channels/index';
import { getJourney } from '$core/journeys/index';
import { appEnv, database } from '$lib/server/context';
import { apiError } from '$lib/server/http';
import { journeyApi, parseBody } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/**
 * `POST /api/v1/journeys/{id}/preview` `{ node, customerId?, entryEvent? }` → `{ preview: { channel, customerId, to,
 * subject, html, text, sms } }`: an email or SMS step rendered for a customer (or sample data); nothing is stored
 * or sent. A Liquid error answers 422 `template_error` with the engine's message, for the form to show inline.
 */
export const POST: RequestHandler = ({ locals, params, request }) =>
	journeyApi(locals.principal, 'journeys:read', async () => {
		const body = await parseBody(request, StepPreviewInput);
		if (!body.ok) return body.response;
		const { db } = await database();
		await getJourney(db, params.id);
		try {
			return json({ preview: await previewStep(db, createProviders(appEnv()), { ...body.data, journeyId: params.id }) });
		} catch (err) {
			if (err instanceof TestSendError) return apiError(testSendErrorStatus(err.code), err.code, err.message, err.details);
			throw err;
		}
	});
