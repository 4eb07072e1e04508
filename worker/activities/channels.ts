import { and, desc, eq } from 'drizzle-orm';
import { storeForStep } from '../../core/commerce/store-scope';
import type { Db } from '../../core/db/client';
import {
	callWebhook,
	createStoreTask,
	isChannelError,
	PermanentChannelError,
	sendMessage,
	syncAudience,
	type SendMessageInput,
	type SendResult
} from '../../core/channels/index';
import type { CapRule } from '../../core/channels/caps';
import { reserveTurn, type Bucket, type Rate } from '../../core/throttle/index';
import type { Providers } from '../../core/channels/types';
import type { SendStore } from '../../core/channels/send-store';
import { latestOfferForEnrollment } from '../../core/offers/index';
import { customers } from '../../core/db/schema/customers';
import { offers } from '../../core/db/schema/offers';
import { survivorOf } from '../../core/identity/lookup';
import { durationToMs, quietHoursDelay, resolveTimeZone } from '../../core/graph/time';
import type { AdAudienceNode, SendEmailNode, SendPushNode, SendSmsNode, SendWhatsAppNode, StoreTaskNode, WebhookNode } from '../../core/graph/nodes';
import type { JourneySettings, ThrottleRate } from '../../core/graph/settings';
import type { EnrollmentRef } from '../../core/enrollment/contract';
import { renderTemplate } from '../../core/channels/template';
import type { ActionInput, ActionOutcome } from '../../core/enrollment/activities';
import { customerTimeZone } from './progress';
import { nonRetryable, stepKey } from './keys';

export type ChannelDeps = {
	db: Db;
	providers: Providers;
	webhookSecret?: string;
	/** Send rates per channel for the whole workspace (SEND_RATE_<CHANNEL>), shared by every worker. */
	sendRates?: SendRates;
	/** The sends' reads and writes; the worker's shares statements between the sends in flight (batchedStore). */
	sendStore?: SendStore;
};

/** A provider's permanent refusal (4xx) is not retried; anything else is thrown for Temporal to retry. */
function asActivityError(err: unknown): unknown {
	if (err instanceof PermanentChannelError) return nonRetryable(err.message, err.info);
	return err;
}

function outcomeOf(result: SendResult): ActionOutcome {
	const detail = { messageId: result.messageId, provider: result.provider, replayed: result.replayed };
	if (result.outcome === 'sent') return { status: 'done', detail: { ...detail, providerMessageId: result.providerMessageId } };
	if (result.outcome === 'skipped') return { status: 'skipped', reason: result.reason, detail };
	if (result.outcome === 'held') return { status: 'held', until: result.until.getTime(), reason: result.reason === 'queued' ? 'queued' : 'frequency cap' };
	// Marked `unknown` on the message for a person to check (the outbox lists it); the journey moves on.
	if (result.outcome === 'unknown') return { status: 'skipped', reason: 'outcome_unknown', detail: { ...detail, why: result.reason } };
	throw nonRetryable(`${result.error.code}: ${result.error.message}`, detail);
}

/** Quiet hours are checked at send time in the customer's zone: a send that falls inside them waits. */
async function quietUntil(db: Db, input: ActionInput<unknown>, now: Date): Promise<number | null> {
	if (!input.settings.quietHours) return null;
	const zone = resolveTimeZone(await customerTimeZone(db, input.ref), input.settings.defaultTimeZone);
	const delay = quietHoursDelay(now.getTime(), input.settings.quietHours, zone);
	return delay > 0 ? now.getTime() + delay : null;
}

type MessageChannel = SendMessageInput['channel'];
export type SendRates = Partial<Record<MessageChannel, Rate>>;

/** Every cap of the journey that applies on this channel: its own and the all-channels ones, together. */
function capsFor(settings: Pick<JourneySettings, 'frequencyCaps'>, channel: MessageChannel): CapRule[] {
	return (settings.frequencyCaps ?? [])
		.filter((c) => c.channel === channel || c.channel === 'all')
		.map((c) => ({ channel: c.channel, max: c.max, windowMs: durationToMs(c.per) }));
}

/** The rates a send on `channel` is under: the channel's (workspace) and the journey's messages rate. */
function throttleBuckets(deps: ChannelDeps, input: ActionInput<{ id: string }>, channel: MessageChannel): Bucket[] {
	const buckets: Bucket[] = [];
	const channelRate = deps.sendRates?.[channel];
	if (channelRate) buckets.push({ bucket: `channel:${channel}`, rate: channelRate });
	const journeyRate = input.settings.throttle?.messages;
	if (journeyRate) buckets.push({ bucket: `journey:${input.ref.journeyId}:messages`, rate: { max: journeyRate.max, windowMs: durationToMs(journeyRate.per) } });
	return buckets;
}

/**
 * Takes this send's turn under its rates (once per step visit: a retry gets the same turn): a turn still
 * ahead is answered `held: queued`, and the workflow sleeps until then in a durable timer.
 */
async function queuedUntil(deps: ChannelDeps, input: ActionInput<{ id: string }>, buckets: Bucket[], now: Date): Promise<number | null> {
	if (buckets.length === 0) return null;
	const turn = await reserveTurn(deps.db, buckets, stepKey(input.ref, input.node.id, input.visit), now);
	return turn > now ? turn.getTime() : null;
}

/** An enrollment's turn under its journey's entry rate: once per enrollment, so a retry gets the same turn. */
export async function reserveEntryTurn(db: Db, ref: EnrollmentRef, rate: ThrottleRate, now: Date): Promise<number> {
	const bucket = { bucket: `journey:${ref.journeyId}:entries`, rate: { max: rate.max, windowMs: durationToMs(rate.per) } };
	return (await reserveTurn(db, [bucket], ref.enrollmentId, now)).getTime();
}

/** Purpose and what a capped send does, as the step says. */
function deliveryOf(
	node: SendEmailNode | SendSmsNode | SendWhatsAppNode | SendPushNode,
	settings: Pick<JourneySettings, 'frequencyCaps'>,
	channel: MessageChannel
) {
	return { purpose: node.purpose ?? 'marketing', frequencyCaps: capsFor(settings, channel), whenCapped: node.whenCapped ?? 'skip' } as const;
}

function common(input: ActionInput<{ id: string }>) {
	return {
		idempotencyKey: stepKey(input.ref, input.node.id, input.visit),
		customerId: input.ref.customerId,
		journeyId: input.ref.journeyId,
		enrollmentId: input.ref.enrollmentId,
		nodeId: input.node.id,
		event: input.entryEvent
			? { name: input.entryEvent.name, properties: input.entryEvent.properties, timestamp: new Date(input.entryEvent.timestamp).toISOString() }
			: undefined
	};
}

export function sendEmailStep(deps: ChannelDeps, input: ActionInput<SendEmailNode>, now = new Date()): Promise<ActionOutcome> {
	const { subject, html, text, from } = input.node;
	return sendStep(deps, input, { channel: 'email', email: { subject: subject ?? '', html, text, from } }, now);
}

export function sendSmsStep(deps: ChannelDeps, input: ActionInput<SendSmsNode>, now = new Date()): Promise<ActionOutcome> {
	return sendStep(deps, input, { channel: 'sms', sms: { body: input.node.body } }, now);
}

/**
 * A message step on any channel, with the same rules in the same order: quiet hours (customer's zone), the send
 * rates' queue, then sendMessage (consent, suppressions, caps, idempotency, the channel's own rules).
 */
async function sendStep(
	deps: ChannelDeps,
	input: ActionInput<SendEmailNode | SendSmsNode | SendWhatsAppNode | SendPushNode>,
	content: DistributiveOmit<SendMessageInput, keyof ReturnType<typeof common> | 'purpose' | 'frequencyCaps' | 'whenCapped' | 'throttle' | 'now'>,
	now: Date
): Promise<ActionOutcome> {
	const until = await quietUntil(deps.db, input, now);
	if (until) return { status: 'held', until, reason: 'quiet hours' };
	const throttle = throttleBuckets(deps, input, content.channel);
	const queued = await queuedUntil(deps, input, throttle, now);
	if (queued) return { status: 'held', until: queued, reason: 'queued' };
	try {
		const result = await sendMessage(
			deps.db,
			deps.providers,
			{
				...common(input),
				...deliveryOf(input.node, input.settings, content.channel),
				throttle,
				now,
				...content
			} as SendMessageInput,
			deps.sendStore
		);
		return outcomeOf(result);
	} catch (err) {
		throw asActivityError(err);
	}
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** WhatsApp: the text inside the 24-hour window, the template outside it (skipped `outside_24h_window` without one). */
export function sendWhatsAppStep(deps: ChannelDeps, input: ActionInput<SendWhatsAppNode>, now = new Date()): Promise<ActionOutcome> {
	const { body, template } = input.node;
	return sendStep(deps, input, { channel: 'whatsapp', whatsapp: { body, template } }, now);
}

/** Web push to every browser the customer turned notifications on in. */
export function sendPushStep(deps: ChannelDeps, input: ActionInput<SendPushNode>, now = new Date()): Promise<ActionOutcome> {
	const { title, body, url } = input.node;
	return sendStep(deps, input, { channel: 'push', push: { title, body, url } }, now);
}

export async function syncAdAudienceStep(deps: ChannelDeps, input: ActionInput<AdAudienceNode>, now = new Date()): Promise<ActionOutcome> {
	const { node } = input;
	try {
		const { event: _event, ...rest } = common(input);
		const result = await syncAudience(deps.db, deps.providers, { ...rest, network: node.provider, audienceId: node.audienceId, action: node.action, now });
		return outcomeOf(result);
	} catch (err) {
		throw asActivityError(err);
	}
}

export async function createStoreTaskStep(deps: ChannelDeps, input: ActionInput<StoreTaskNode>, now = new Date()): Promise<ActionOutcome> {
	const { node, ref } = input;
	const offer = node.offerNodeId ? await offerOfStep(deps.db, ref.enrollmentId, node.offerNodeId) : null;
	const storeId = await storeForStep(deps.db, node.store, ref.customerId, input.entryEvent);
	const task = await createStoreTask(deps.db, {
		taskKey: stepKey(ref, node.id, input.visit),
		customerId: ref.customerId,
		journeyId: ref.journeyId,
		enrollmentId: ref.enrollmentId,
		nodeId: node.id,
		storeId,
		title: node.title,
		instructions: node.instructions,
		offerId: offer?.id,
		now
	});
	return { status: 'done', detail: { taskId: task.id, storeId: task.storeId, offerId: offer?.id ?? null } };
}

export async function callWebhookStep(deps: ChannelDeps, input: ActionInput<WebhookNode>, now = new Date()): Promise<ActionOutcome> {
	const { node } = input;
	const key = stepKey(input.ref, node.id, input.visit);
	const body =
		node.body === undefined
			? {
					journeyId: input.ref.journeyId,
					enrollmentId: input.ref.enrollmentId,
					customerId: input.ref.customerId,
					nodeId: node.id,
					event: input.entryEvent ?? null
				}
			: await renderTemplate(node.body, await webhookContext(deps, input, now), 'json');
	try {
		const result = await callWebhook({ url: node.url, body, headers: node.headers, secret: deps.webhookSecret, idempotencyKey: key, timeoutMs: 10_000, now });
		if (!result.ok) throw nonRetryable(`${result.error.code}: ${result.error.message}`, { status: result.status });
		return { status: 'done', detail: { status: result.status } };
	} catch (err) {
		if (isChannelError(err)) throw asActivityError(err);
		throw err;
	}
}

async function offerOfStep(db: Db, enrollmentId: string, nodeId: string) {
	const [row] = await db
		.select({ id: offers.id })
		.from(offers)
		.where(and(eq(offers.enrollmentId, enrollmentId), eq(offers.nodeId, nodeId)))
		.orderBy(desc(offers.createdAt))
		.limit(1);
	return row ?? null;
}

/** What a webhook body template sees: the customer's traits, the entry event and the enrollment's offer. */
async function webhookContext(deps: ChannelDeps, input: ActionInput<WebhookNode>, now: Date) {
	const id = (await survivorOf(deps.db, input.ref.customerId)) ?? input.ref.customerId;
	const [row] = await deps.db.select({ traits: customers.traits }).from(customers).where(eq(customers.id, id));
	const offer = await latestOfferForEnrollment(deps.db, input.ref.enrollmentId, now);
	return {
		customer: { ...(row?.traits ?? {}), id },
		event: common(input).event ?? {},
		offer: offer && {
			code: offer.code,
			title: offer.title,
			kind: offer.kind,
			value: offer.value,
			currency: offer.currency,
			display: '',
			expiresAt: offer.expiresAt,
			qrUrl: ''
		},
		links: { unsubscribe: '' }
	};
}
