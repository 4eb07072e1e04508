import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { JourneyError, ManualEntryInput, StopInput, UpdateJourneyInput, updateDraft, type DraftProblem } from '$core/journeys/index';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { EntryUnavailableError, archiveJourney, changeStatus, enterManually, publishJourney, type Who } from '$lib/server/journeys';
import type { Actions } from './$types';

/** What a refused action shows inline: which form it was, a sentence, and for publishing the problems. */
type Failure = { action: string; message: string; problems?: DraftProblem[]; draftText?: string; name?: string; description?: string };

/** Business refusals become inline messages; an unknown journey is the page's 404; anything else a 500. */
function refusal(action: string, err: unknown, extra: Partial<Failure> = {}): ActionFailure<Failure> {
	if (err instanceof JourneyError) {
		if (err.code === 'not_found') error(404, err.message);
		return fail(400, { action, message: err.message, ...(err.problems ? { problems: err.problems } : {}), ...extra });
	}
	throw err;
}

const text = (form: FormData, key: string) => String(form.get(key) ?? '');

export const journeyActions = {
	details: async ({ locals, params, request }) => {
		requirePage(locals.principal, 'journeys:write');
		const form = await request.formData();
		const values = { name: text(form, 'name'), description: text(form, 'description') };
		const parsed = UpdateJourneyInput.safeParse(values);
		if (!parsed.success) return fail(400, { action: 'details', message: parsed.error.issues[0]!.message, ...values });
		try {
			await updateDraft((await database()).db, params.id, parsed.data);
			return { action: 'details', message: 'Saved.' };
		} catch (err) {
			return refusal('details', err, values);
		}
	},

	/** The advanced JSON editor: anything that parses as JSON is saved; its problems show in the draft card. */
	draft: async ({ locals, params, request }) => {
		requirePage(locals.principal, 'journeys:write');
		const draftText = text(await request.formData(), 'draft');
		let draft: unknown;
		try {
			draft = JSON.parse(draftText);
		} catch (err) {
			return fail(400, { action: 'draft', draftText, message: `This is not valid JSON: ${err instanceof Error ? err.message : String(err)}` });
		}
		try {
			const { validation } = await updateDraft((await database()).db, params.id, { draft });
			const message = validation.ok
				? 'Draft saved. It is ready to publish.'
				: `Draft saved with ${validation.problems.length} problem(s) to fix before publishing.`;
			return { action: 'draft', message };
		} catch (err) {
			return refusal('draft', err, { draftText });
		}
	},

	publish: async ({ locals, params, getClientAddress }) => {
		requirePage(locals.principal, 'journeys:publish');
		try {
			const { version, created } = await publishJourney((await database()).db, params.id, locals.principal, getClientAddress());
			return {
				action: 'status',
				message: created ? `Published version ${version}. New customers enter it from now on.` : `Version ${version} is live (the draft had not changed).`
			};
		} catch (err) {
			return refusal('status', err);
		}
	},

	pause: async ({ locals, params, getClientAddress }) =>
		statusAction({ principal: locals.principal, ip: getClientAddress() }, params.id, 'pause', 'Paused: no new customers enter; those inside carry on.'),
	resume: async ({ locals, params, getClientAddress }) =>
		statusAction({ principal: locals.principal, ip: getClientAddress() }, params.id, 'resume', 'Resumed: new customers enter again.'),

	stop: async ({ locals, params, request, getClientAddress }) => {
		requirePage(locals.principal, 'journeys:publish');
		const { mode } = StopInput.parse({ mode: text(await request.formData(), 'mode') || undefined });
		try {
			const change = await changeStatus((await database()).db, params.id, 'stop', { principal: locals.principal, ip: getClientAddress() }, mode);
			if (change.endError)
				return fail(503, {
					action: 'status',
					message: 'The journey is stopped, but the customers inside could not be ended yet (Temporal did not answer). Try “Stop and end” again.'
				});
			const message =
				mode === 'end' ? `Stopped; ${change.ended} customer(s) inside were ended.` : 'Stopped: no new customers enter; those inside finish their path.';
			return { action: 'status', message };
		} catch (err) {
			return refusal('status', err);
		}
	},

	/** Archive and unarchive, as on the journeys list: archived journeys are hidden there and never published. */
	archive: async ({ locals, params, getClientAddress }) => archiveAction({ principal: locals.principal, ip: getClientAddress() }, params.id, true),
	unarchive: async ({ locals, params, getClientAddress }) => archiveAction({ principal: locals.principal, ip: getClientAddress() }, params.id, false),

	/** Enters one customer by hand, by e-mail or customer id, to try the live version out. */
	enter: async ({ locals, params, request }) => {
		requirePage(locals.principal, 'journeys:write');
		const form = await request.formData();
		const who = text(form, 'customer').trim();
		const parsed = ManualEntryInput.safeParse(who.includes('@') ? { email: who } : { customerId: who });
		if (!parsed.success) return fail(400, { action: 'enter', message: 'Enter an e-mail address or a customer id.' });
		try {
			// The key rendered with the form: sending the form again after a failure finishes the same entry.
			const result = await enterManually((await database()).db, params.id, parsed.data, text(form, 'entryKey') || undefined);
			if (!result.ok) return fail(400, { action: 'enter', message: result.message });
			return { action: 'enter', message: `The customer entered the journey (${result.enrollmentId}).` };
		} catch (err) {
			if (err instanceof EntryUnavailableError)
				return fail(503, {
					action: 'enter',
					message: 'The journey could not be started for this customer right now (Temporal did not answer). Send the form again.'
				});
			return refusal('enter', err);
		}
	}
} satisfies Actions;

async function statusAction(who: Who, id: string, action: 'pause' | 'resume', done: string) {
	requirePage(who.principal, 'journeys:publish');
	try {
		await changeStatus((await database()).db, id, action, who);
		return { action: 'status', message: done };
	} catch (err) {
		return refusal('status', err);
	}
}

async function archiveAction(who: Who, id: string, archived: boolean) {
	requirePage(who.principal, 'journeys:write');
	try {
		await archiveJourney((await database()).db, id, archived, who);
		return {
			action: 'status',
			message: archived
				? 'Archived: hidden from the journeys list (find it under Archived) and never published until unarchived.'
				: 'Unarchived: back in the journeys list, and editable again.'
		};
	} catch (err) {
		return refusal('status', err);
	}
}
