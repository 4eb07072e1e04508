import type { Db } from '../db/client';
import type { Message } from '../db/schema/messages';
import { draftMessage, skippedDraft } from './compose';
import { consentAllows, suppress, type ConsentPolicy, type Purpose, type SkipReason } from './consent';
import { PermanentChannelError, scrubPii, TransientChannelError } from './errors';
import { mayHaveSent, verifyEarlierAttempt } from './attempts';
import { countUnderCaps, type CapRule } from './caps';
import { takeTurn, type Bucket } from '../throttle/index';
import {
	claim,
	claimedBy,
	dispatchOf,
	dispatchingColumns,
	markDispatching,
	markFinal,
	markSent,
	markUnknown,
	release,
	resultFromRow,
	sentColumns,
	type SendResult
} from './outbound';
import type { Recipient } from './recipients';
import { directStore, type SendStore } from './send-store';
import type { ProviderReceipt, Providers } from './types';
import { outboxEmail, outboxSms, providerOf } from './outbox';
import { dispatchPush } from './push/dispatch';
import { devicesLabel, pushSubscriptionsOf } from './push/subscriptions';
import { lastInboundWhatsApp, phoneOfWhatsApp, whatsAppAddress, whatsAppMode, type WhatsAppMode } from './whatsapp';

export type EmailContent = { subject: string; html?: string; text?: string; from?: string; replyTo?: string };
export type SmsContent = { body: string };
/** Free text (inside the 24-hour window) and/or an approved template (outside it); see core/channels/whatsapp.ts. */
export type WhatsAppContent = { body?: string; template?: { contentSid: string; variables?: Record<string, string> } };
export type PushContent = { title: string; body: string; url?: string };

export type SendMessageInput = {
	/** Enrollment + node + visit: the same key never sends twice. */
	idempotencyKey: string;
	customerId: string;
	journeyId?: string;
	enrollmentId?: string;
	nodeId?: string;
	/** The event templates see as `event` (usually the one that entered the journey). */
	event?: Record<string, unknown>;
	/** The offer templates see as `offer`; default: the one this enrollment granted last. */
	offerCode?: string;
	purpose?: Purpose;
	consentPolicy?: ConsentPolicy;
	/** Caps on the customer's marketing messages, checked and counted atomically at send time (core/channels/caps.ts). */
	frequencyCaps?: readonly CapRule[];
	/** What a capped send does: `skip` (default) or `wait` until the caps allow it (answered as `held`). */
	whenCapped?: 'skip' | 'wait';
	/** Send rates this message is under (core/throttle): it goes only when the sliding window has room. */
	throttle?: readonly Bucket[];
	now?: Date;
} & (
	| { channel: 'email'; email: EmailContent }
	| { channel: 'sms'; sms: SmsContent }
	| { channel: 'whatsapp'; whatsapp: WhatsAppContent }
	| { channel: 'push'; push: PushContent }
);

export type { SendResult } from './outbound';

/** Where the message goes: an address, or for push how many browsers (the endpoints are looked up at dispatch). */
export async function addressOf(db: Db, recipient: Recipient, channel: SendMessageInput['channel']): Promise<string | null> {
	if (channel === 'email') return recipient.email;
	if (channel === 'sms') return recipient.phone;
	if (channel === 'whatsapp') return recipient.whatsapp ? whatsAppAddress(recipient.whatsapp) : null;
	const devices = await pushSubscriptionsOf(db, recipient.customerId);
	return devices.length ? devicesLabel(devices.length) : null;
}

/** The WhatsApp mode now: free text inside the 24-hour window, else the template, else `closed`. */
async function whatsAppModeOf(db: Db, row: Pick<Message, 'customerId' | 'body' | 'meta'>, now: Date): Promise<WhatsAppMode> {
	const meta = row.meta as { template?: unknown };
	return whatsAppMode(await lastInboundWhatsApp(db, row.customerId), now, { hasBody: row.body.trim() !== '', hasTemplate: meta.template !== undefined });
}

/** What a send-time check needs of the message: its drafted row, or the draft about to be stored. */
type Checked = Pick<Message, 'customerId' | 'to' | 'body' | 'meta'>;

/**
 * Consent and suppression as they stand now, not as they stood when the customer entered. `recipient` is passed
 * when it was loaded moments ago in this same attempt (to draft the message), so it is not read twice.
 */
async function sendTimeCheck(db: Db, store: SendStore, input: SendMessageInput, row: Checked, loaded?: Recipient | null): Promise<SkipReason | null> {
	const recipient = loaded === undefined ? await store.loadRecipient(row.customerId) : loaded;
	if (!recipient) return 'no_customer';
	if (recipient.erased) return 'erased';
	if (!consentAllows(recipient, input.channel, input.consentPolicy ?? 'opt-out', input.purpose ?? 'marketing')) return 'no_consent';
	if (input.channel === 'email' || input.channel === 'sms') {
		if (await store.isSuppressed(input.channel, row.to)) return 'suppressed';
	} else if (input.channel === 'whatsapp') {
		if (await store.isSuppressed('whatsapp', phoneOfWhatsApp(row.to))) return 'suppressed';
		if ((await whatsAppModeOf(db, row, input.now ?? new Date())).mode === 'closed') return 'outside_24h_window';
	}
	return null;
}

/**
 * The first attempt of a send: loads the recipient once, renders the message, checks it may go now and stores
 * it — already claimed by this attempt when it is to be sent, or finished (`skipped`, `failed`) when not.
 * Answers the row another attempt stored first under the same key, for the caller to take from there.
 */
async function draftAndStore(db: Db, store: SendStore, providers: Providers, input: SendMessageInput, now: Date): Promise<{ row: Message; inserted: boolean }> {
	const recipient = await store.loadRecipient(input.customerId);
	const address = recipient ? await addressOf(db, recipient, input.channel) : null;
	if (!recipient || !address || recipient.erased) {
		const reason = !recipient ? 'no_customer' : recipient.erased ? 'erased' : 'no_address';
		return store.insertOrGet(skippedDraft(providers, input, recipient?.customerId ?? input.customerId, reason, now));
	}
	const draft = await draftMessage(db, providers, input, recipient, address, now);
	if (draft.status === 'failed') return store.insertOrGet(draft);
	const skip = await sendTimeCheck(
		db,
		store,
		input,
		{ customerId: recipient.customerId, to: draft.to, body: draft.body ?? '', meta: draft.meta ?? {} },
		recipient
	);
	if (skip) return store.insertOrGet({ ...draft, status: 'skipped', error: skip });
	// Nothing left to decide before the provider call (no cap, no send rate, no WhatsApp window): the row is stored
	// with this attempt's dispatch mark, as markDispatching would write it a moment later.
	const claimed = { ...draft, ...claimedBy(now) };
	if (!goesStraightOut(input)) return store.insertOrGet(claimed);
	// The outbox sends nothing (core/channels/outbox.ts): its row is the send, so it is stored as sent at once — no
	// dispatch mark to guard a provider call, and no second write for the result.
	if (isOutbox(providers, input.channel)) return store.insertOrGet({ ...claimed, ...sentColumns(claimed, now) });
	return store.insertOrGet({ ...claimed, ...dispatchingColumns(claimed, now) });
}

/** The channel's provider is the outbox itself (not a provider standing in for it, as tests make). */
function isOutbox(providers: Providers, channel: SendMessageInput['channel']): boolean {
	return (channel === 'email' && providers.email === outboxEmail) || (channel === 'sms' && providers.sms === outboxSms);
}

function goesStraightOut(input: SendMessageInput): boolean {
	return !input.frequencyCaps?.length && !input.throttle?.length && input.channel !== 'whatsapp';
}

function dispatch(db: Db, providers: Providers, row: Message, now: Date, whatsapp: WhatsAppMode | null): Promise<ProviderReceipt> {
	const meta = row.meta as {
		format?: string;
		text?: string;
		from?: string;
		replyTo?: string;
		unsubscribeUrl?: string;
		template?: { contentSid: string; variables: Record<string, string> };
	};
	const { publicUrl, statusCallbacks } = providers.settings;
	// Our id in the callback URL: Twilio's first callback can arrive before we have stored its SID.
	const statusCallback = statusCallbacks ? `${publicUrl}/api/v1/webhooks/twilio/status?m=${encodeURIComponent(row.id)}` : undefined;
	if (row.channel === 'sms') return providers.sms.send({ to: row.to, body: row.body, statusCallback });
	if (row.channel === 'whatsapp') {
		const provider = providerOf(providers, 'whatsapp');
		return whatsapp?.mode === 'session' || !meta.template
			? provider.send({ to: row.to, body: row.body, statusCallback })
			: provider.send({ to: row.to, template: meta.template, statusCallback });
	}
	if (row.channel === 'push') return dispatchPush(db, providerOf(providers, 'push'), providers.settings, row, now);
	const customArgs: Record<string, string> = { omnicanal_message_id: row.id };
	if (row.journeyId) customArgs.omnicanal_journey_id = row.journeyId;
	if (row.enrollmentId) customArgs.omnicanal_enrollment_id = row.enrollmentId;
	if (row.nodeId) customArgs.omnicanal_node_id = row.nodeId;
	const headers: Record<string, string> = meta.unsubscribeUrl
		? { 'List-Unsubscribe': `<${meta.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
		: {};
	const html = meta.format === 'html' ? row.body : undefined;
	const text = meta.format === 'html' ? meta.text : row.body;
	return providers.email.send({
		to: row.to,
		from: meta.from ?? providers.settings.emailFrom,
		...(meta.replyTo ? { replyTo: meta.replyTo } : {}),
		subject: row.subject ?? '',
		...(html !== undefined ? { html } : {}),
		...(text !== undefined ? { text } : {}),
		headers,
		customArgs
	});
}

/**
 * Sends one email, SMS, WhatsApp message or web push notification for a journey step, at most once per idempotency key:
 * 1. the attempt loads the recipient once, renders the message and checks consent and suppressions, then stores
 *    the row: claimed by itself when the message is to go, else finished (`skipped` with why: nobody, no address,
 *    no consent…; `failed` for a template error);
 * 2. if an earlier attempt stored it first (the key is unique), its finished row is answered as is (`replayed`);
 * 3. an unfinished one (a retry, or after a hold) is checked again for consent and suppressions, and claimed;
 * 4. frequency caps are checked and the message counted under them atomically (skipped, or `held` until they
 *    allow it, as the step chose), then the send rate's turn is taken;
 * 5. the attempt records itself on the row, calls the provider (or the outbox) and records the outcome.
 * Permanent provider errors come back as `outcome: 'failed'`; transient ones are thrown (TransientChannelError)
 * so Temporal retries the activity, which then resumes from the stored row. When the failed call may have got
 * through (a timeout after the request left), the retry first asks the provider (core/channels/attempts.ts):
 * found → recorded as sent; confirmed absent → sent again; undecidable → `unknown`, never sent blind.
 */
export async function sendMessage(db: Db, providers: Providers, input: SendMessageInput, store: SendStore = directStore(db)): Promise<SendResult> {
	const now = input.now ?? new Date();
	const taken = await firstAttempt(db, store, providers, input, now);
	return 'result' in taken ? taken.result : sendClaimed(db, store, providers, input, taken.claimed, now, taken.dispatching ?? false);
}

/** `dispatching`: the row was stored with this attempt's dispatch mark (a first attempt with nothing to check). */
type Taken = { claimed: Message; dispatching?: boolean } | { result: SendResult };

/**
 * Drafts the message and stores it (claimed when it is to go). The key's unique index answers whether an earlier
 * attempt stored it first (a retry, a send that was held, a concurrent attempt): a finished row is answered as it
 * is, an unfinished one is taken over. Asking first would cost every send a read that only retries need.
 */
async function firstAttempt(db: Db, store: SendStore, providers: Providers, input: SendMessageInput, now: Date): Promise<Taken> {
	const { row, inserted } = await draftAndStore(db, store, providers, input, now);
	if (row.status !== 'pending') return { result: resultFromRow(row, !inserted) };
	return inserted ? { claimed: row, dispatching: dispatchOf(row) !== null } : resume(db, store, providers, input, row, now);
}

/**
 * A row an earlier attempt stored and did not finish: checked again now, then taken for this attempt. A message
 * that may already be out is accounted for (core/channels/attempts.ts) before any rule could skip it.
 */
async function resume(db: Db, store: SendStore, providers: Providers, input: SendMessageInput, row: Message, now: Date): Promise<Taken> {
	if (!dispatchOf(row)) {
		const skip = await sendTimeCheck(db, store, input, row);
		if (skip) return { result: resultFromRow(await markFinal(db, row.id, 'skipped', skip, now), false) };
	}
	const taken = await claim(db, row, now);
	if ('finished' in taken) return { result: resultFromRow(taken.finished, true) };
	const dispatched = dispatchOf(taken);
	if (!dispatched) return { claimed: taken };
	const verdict = await verifyEarlierAttempt(providers, taken, now);
	if (verdict.state === 'sent') return { result: resultFromRow(await markSent(db, taken.id, verdict.receipt, new Date(dispatched.at)), true) };
	if (verdict.state === 'unknown') return { result: resultFromRow(await markUnknown(db, taken.id, verdict.why, now), false) };
	if (verdict.state === 'wait') {
		await release(db, taken.id, `earlier attempt not accounted for yet: ${verdict.why}`, now, 'maybe');
		throw new TransientChannelError(`${taken.provider}: earlier attempt not accounted for yet (${verdict.why})`, {
			provider: taken.provider,
			code: 'outcome_pending'
		});
	}
	const skip = await sendTimeCheck(db, store, input, taken);
	if (skip) return { result: resultFromRow(await markFinal(db, taken.id, 'skipped', skip, now, { dispatch: null }), false) };
	return { claimed: taken };
}

/** The row is this attempt's: frequency caps, the send rate, the WhatsApp window, then the provider. */
async function sendClaimed(
	db: Db,
	store: SendStore,
	providers: Providers,
	input: SendMessageInput,
	claimed: Message,
	now: Date,
	dispatching: boolean
): Promise<SendResult> {
	const cap = await countUnderCaps(db, claimed, input.frequencyCaps ?? [], now);
	if (cap.state === 'capped') {
		if (input.whenCapped !== 'wait') return resultFromRow(await markFinal(db, claimed.id, 'skipped', 'frequency_cap', now), false);
		await release(db, claimed.id, `held by a frequency cap (${cap.cap.max} per ${cap.cap.channel}) until ${cap.until.toISOString()}`, now);
		return { ...resultFromRow(claimed, false), outcome: 'held', until: cap.until, reason: 'frequency_cap' } as SendResult;
	}
	const turn = await takeTurn(db, input.throttle ?? [], input.idempotencyKey, now);
	if (!turn.ok) {
		await release(db, claimed.id, `queued by the send rate until ${turn.until.toISOString()}`, now);
		return { ...resultFromRow(claimed, false), outcome: 'held', until: turn.until, reason: 'queued' } as SendResult;
	}
	// The window is decided again right before the call: a message held by a cap or the send rate may have outlived it.
	const whatsapp = claimed.channel === 'whatsapp' ? await whatsAppModeOf(db, claimed, now) : null;
	if (whatsapp?.mode === 'closed') return resultFromRow(await markFinal(db, claimed.id, 'skipped', 'outside_24h_window', now), false);
	if (!dispatching) await markDispatching(db, claimed, now);
	try {
		const receipt = await dispatch(db, providers, claimed, now, whatsapp);
		const mode = whatsapp ? { mode: whatsapp.mode, lastInboundAt: whatsapp.lastInbound?.toISOString() ?? null } : {};
		return resultFromRow(await store.markSent(claimed.id, { ...receipt, meta: { ...receipt.meta, ...mode } }, now), false);
	} catch (err) {
		if (err instanceof PermanentChannelError) {
			if (err.info.code === 'recipient_opted_out' && (claimed.channel === 'sms' || claimed.channel === 'whatsapp')) {
				const channel = claimed.channel;
				await suppress(db, channel, channel === 'whatsapp' ? phoneOfWhatsApp(claimed.to) : claimed.to, 'provider_opt_out', now);
				return resultFromRow(await markFinal(db, claimed.id, 'skipped', 'suppressed', now, { dispatch: null }), false);
			}
			// Twilio knows the window better than our record of inbound messages: its refusal is a skip, as ours would be.
			if (err.info.code === 'outside_24h_window')
				return resultFromRow(await markFinal(db, claimed.id, 'skipped', 'outside_24h_window', now, { dispatch: null }), false);
			if (err.info.code === 'no_address') return resultFromRow(await markFinal(db, claimed.id, 'skipped', 'no_address', now, { dispatch: null }), false);
			return resultFromRow(
				await markFinal(db, claimed.id, 'failed', err.message, now, { errorCode: err.info.code, errorStatus: err.info.status ?? null, dispatch: null }),
				false
			);
		}
		// Transient (or unexpected): free the row and let Temporal retry the activity, keeping the attempt on
		// the row when it may have reached the provider.
		await release(db, claimed.id, scrubPii(err instanceof Error ? err.message : String(err)), now, mayHaveSent(err) ? 'maybe' : 'no');
		throw err;
	}
}
