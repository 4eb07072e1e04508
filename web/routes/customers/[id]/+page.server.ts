import { error, fail, redirect } from '@sveltejs/kit';
import { can, type Principal } from '$core/auth/index';
import { addNote, ConversationInput, customerDetail, MergeUndoError, NoteInput, recordConversationMessage, undoMerge } from '$core/identity/index';
import { pushSubscriptionsOf } from '$core/channels/push/subscriptions';
import { seesFullCodes } from '$core/offers/view';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { temporalUiLink } from '$lib/server/journeys';
import { notifyRouter } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

function signedIn(principal: Principal | null) {
	return principal?.kind === 'user' ? principal.user : null;
}

/** Store associates keep the conversation going too: notes are for anyone who may edit customers or work the store. */
function mayNote(principal: Principal | null): boolean {
	const user = signedIn(principal);
	return user !== null && (can(user.role, 'customers:write') || can(user.role, 'store:work'));
}

export const load = (async ({ locals, params }) => {
	requirePage(locals.principal, 'customers:read');
	const detail = await customerDetail((await database()).db, params.id, { timelineLimit: 200, fullCodes: seesFullCodes(locals.principal) });
	if (!detail) error(404, 'No such customer (or the customer was erased).');
	// A merged-away id (an old link, a lookup by the loser) shows the profile it lives in now.
	if (detail.requestedId) redirect(307, `/customers/${detail.customer.id}?mergedFrom=${encodeURIComponent(detail.requestedId)}`);
	const user = signedIn(locals.principal);
	// Browsers with web push on: the number and when each last took a notification (endpoints are capabilities: not shown).
	const pushDevices = (await pushSubscriptionsOf((await database()).db, detail.customer.id)).map((d) => ({
		userAgent: d.userAgent,
		createdAt: d.createdAt,
		lastSuccessAt: d.lastSuccessAt
	}));
	return {
		...detail,
		pushDevices,
		enrollments: detail.enrollments.map((e) => ({ ...e, temporalUrl: temporalUiLink(e.id) })),
		canUndo: user !== null && can(user.role, 'customers:write'),
		canNote: mayNote(locals.principal),
		canExport: user !== null && can(user.role, 'customers:export')
	};
}) satisfies PageServerLoad;

export const actions = {
	note: async ({ locals, params, request }) => {
		requirePage(locals.principal, 'customers:read');
		if (!mayNote(locals.principal)) error(403, 'Your role may not add notes.');
		const body = String((await request.formData()).get('body') ?? '');
		const parsed = NoteInput.safeParse({ body });
		if (!parsed.success) return fail(400, { action: 'note' as const, body, message: parsed.error.issues[0]!.message });
		const saved = await addNote((await database()).db, params.id, signedIn(locals.principal)!.name, parsed.data.body);
		if (!saved) error(404, 'No such customer.');
		return { action: 'note' as const, saved: true };
	},
	/** A line of a chat or call, recorded as a `conversation_message` event so journeys and the store see it too. */
	conversation: async ({ locals, params, request }) => {
		requirePage(locals.principal, 'customers:read');
		if (!mayNote(locals.principal)) error(403, 'Your role may not record conversations.');
		const values = Object.fromEntries([...(await request.formData())].map(([k, v]) => [k, String(v)]));
		const parsed = ConversationInput.safeParse(values);
		if (!parsed.success) return fail(400, { action: 'conversation' as const, values, message: parsed.error.issues[0]!.message });
		const saved = await recordConversationMessage((await database()).db, params.id, signedIn(locals.principal)!.name, parsed.data);
		if (!saved) error(404, 'No such customer.');
		notifyRouter([saved.eventId]);
		return { action: 'conversation' as const, saved: true, conversationId: saved.conversationId };
	},
	undoMerge: async ({ locals, request }) => {
		requirePage(locals.principal, 'customers:write');
		const mergeId = Number((await request.formData()).get('mergeId'));
		if (!Number.isSafeInteger(mergeId) || mergeId <= 0) return fail(400, { action: 'undoMerge' as const, message: 'Choose a merge to undo.' });
		try {
			const result = await undoMerge((await database()).db, mergeId);
			// Undoing can move people in and out of segments: those events go to the router like any other.
			notifyRouter(Object.values(result.segments).flatMap((s) => s.eventIds));
			return { action: 'undoMerge' as const, restoredId: result.restoredId };
		} catch (err) {
			if (err instanceof MergeUndoError) return fail(409, { action: 'undoMerge' as const, message: err.message });
			throw err;
		}
	}
} satisfies Actions;
