import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Principal } from '$core/auth/index';
import { completeStoreTask } from '$core/channels/store-tasks';
import { addNote, NoteInput } from '$core/identity/index';
import { findOffer, formatOfferValue, redeemOffer, releaseOffer, type OfferErrorCode } from '$core/offers/index';
import { getStore } from '$core/commerce/index';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { notifyRouter } from '$lib/server/routing';
import { uploadStock } from './stock-upload.server';
import type { Actions } from './$types';

/** The signed-in associate, as recorded on what they did (task done by, note author). */
function associate(principal: Principal | null): string {
	return principal?.kind === 'user' ? principal.user.name : 'store';
}

const RedeemForm = z.object({
	code: z.string().trim().min(1).max(100),
	storeId: z.string().min(1, 'Choose the store you are in.').max(64),
	key: z.uuid()
});

/** Words for the till: what the associate can tell the customer. */
const tillMessages: Partial<Record<OfferErrorCode, string>> = {
	already_redeemed: 'Already redeemed: this offer was used before (see when and where below).',
	expired: 'Expired: this offer can no longer be used.',
	reserved: 'It went into an online cart at the same moment. Try again.',
	not_eligible: 'Not valid in this store.'
};

export const storeActions = {
	redeem: async ({ locals, request }) => {
		requirePage(locals.principal, 'offers:redeem');
		const form = Object.fromEntries(await request.formData());
		const parsed = RedeemForm.safeParse(form);
		const code = String(form.code ?? '');
		if (!parsed.success) return fail(400, { action: 'redeem' as const, code, message: parsed.error.issues[0]!.message });
		const { db } = await database();
		if (!(await getStore(db, parsed.data.storeId))) return fail(400, { action: 'redeem' as const, code, message: 'Choose the store you are in.' });
		// A customer at the till outranks their own online cart: a web cart's hold (it only keeps other carts off
		// the offer) is let go so the offer can be redeemed here; that cart then finds it redeemed.
		const current = await findOffer(db, parsed.data.code, new Date());
		if (current?.reservation) await releaseOffer(db, { code: current.code, cartId: current.reservation.cartId, now: new Date() });
		const result = await redeemOffer(db, {
			code: parsed.data.code,
			channel: 'store',
			storeId: parsed.data.storeId,
			idempotencyKey: parsed.data.key,
			now: new Date()
		});
		// offer_redeemed is committed with the redemption: routing it converts the journey that granted the offer.
		notifyRouter(result.eventIds);
		const { answer } = result;
		if (!answer.ok) {
			return fail(result.status, {
				action: 'redeem' as const,
				code,
				errorCode: answer.error.code,
				message: tillMessages[answer.error.code] ?? answer.error.message
			});
		}
		return { action: 'redeem' as const, code: answer.offer.code, message: `Redeemed: ${formatOfferValue(answer.offer)} off (${answer.offer.title}).` };
	},

	completeTask: async ({ locals, request }) => {
		requirePage(locals.principal, 'store:work');
		const taskId = String((await request.formData()).get('taskId') ?? '');
		if (!taskId) return fail(400, { action: 'completeTask' as const, taskId, message: 'Choose a task.' });
		const done = await completeStoreTask((await database()).db, { taskId, doneBy: associate(locals.principal) });
		if (!done) return fail(404, { action: 'completeTask' as const, taskId, message: 'This task no longer exists.' });
		return { action: 'completeTask' as const, taskId, message: `Done: ${done.title}.` };
	},

	/** What happened at the counter, for the next colleague and the customer's timeline. */
	note: async ({ locals, request }) => {
		requirePage(locals.principal, 'store:work');
		const form = await request.formData();
		const customerId = String(form.get('customerId') ?? '');
		const body = String(form.get('body') ?? '');
		const parsed = NoteInput.safeParse({ body });
		if (!parsed.success) return fail(400, { action: 'note' as const, body, message: parsed.error.issues[0]!.message });
		const saved = await addNote((await database()).db, customerId, associate(locals.principal), parsed.data.body);
		if (!saved) error(404, 'No such customer.');
		return { action: 'note' as const, message: 'Note added.' };
	},

	uploadStock
} satisfies Actions;
