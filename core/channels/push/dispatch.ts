import type { Db } from '../../db/client';
import type { Message } from '../../db/schema/messages';
import { isChannelError, PermanentChannelError, TransientChannelError } from '../errors';
import type { ChannelSettings, ProviderReceipt, PushProvider } from '../types';
import { pushClickUrl } from './clicks';
import { deletePushSubscription, markPushSuccess, pushSubscriptionsOf } from './subscriptions';

/**
 * The JSON the shop's service worker shows (web/static/shop/push-sw.js reads exactly these keys); `click` is the
 * signed URL it posts to when the notification is clicked (core/channels/push/clicks.ts).
 */
export type PushPayload = { title: string; body: string; url: string; tag: string; messageId: string; click: string };

/** Push services keep an undelivered notification this long (an offline laptop gets it when it wakes). */
export const PUSH_TTL_SECONDS = 24 * 3600;

export function pushPayload(row: Message, settings: Pick<ChannelSettings, 'publicUrl' | 'appSecret'>): PushPayload {
	const meta = row.meta as { url?: string };
	return {
		title: row.subject ?? '',
		body: row.body,
		url: meta.url ?? '/',
		tag: row.nodeId ?? row.id,
		messageId: row.id,
		click: pushClickUrl(settings.publicUrl, settings.appSecret, row.id)
	};
}

/**
 * One notification to each of the customer's browsers, looked up now (a device subscribed since the draft gets
 * it too). A browser whose push service answers 404/410 unsubscribed: its subscription is deleted. Sent when at
 * least one push service accepted; a retry is asked for (transient) only when none did and one may yet, so a
 * browser never gets the same notification twice from a retry. None left: a permanent `no_address`.
 */
export async function dispatchPush(
	db: Db,
	provider: PushProvider,
	settings: Pick<ChannelSettings, 'publicUrl' | 'appSecret'>,
	row: Message,
	now: Date
): Promise<ProviderReceipt> {
	const devices = await pushSubscriptionsOf(db, row.customerId);
	if (devices.length === 0) throw new PermanentChannelError('no browser has push turned on any more', { provider: provider.name, code: 'no_address' });
	const payload = JSON.stringify(pushPayload(row, settings));
	const outcomes = await Promise.allSettled(
		devices.map((d) =>
			provider.send({
				subscription: { endpoint: d.endpoint, keys: { p256dh: d.p256dh, auth: d.auth } },
				payload,
				ttlSeconds: PUSH_TTL_SECONDS,
				topic: undefined
			})
		)
	);
	let accepted = 0;
	let gone = 0;
	let transient: unknown = null;
	let permanent: unknown = null;
	for (const [i, outcome] of outcomes.entries()) {
		const device = devices[i]!;
		if (outcome.status === 'fulfilled') {
			accepted += 1;
			await markPushSuccess(db, device.id, now);
		} else if (isChannelError(outcome.reason) && outcome.reason.info.code === 'subscription_gone') {
			gone += 1;
			await deletePushSubscription(db, device.endpoint);
		} else if (outcome.reason instanceof PermanentChannelError) permanent = outcome.reason;
		else transient = outcome.reason;
	}
	const meta = { devices: devices.length, accepted, gone, failed: devices.length - accepted - gone };
	if (accepted > 0) return { providerMessageId: null, status: 'sent', meta };
	if (transient) throw transient instanceof Error ? transient : new TransientChannelError(String(transient), { provider: provider.name, code: 'push_failed' });
	if (permanent) throw permanent;
	throw new PermanentChannelError(`every browser unsubscribed (${gone})`, { provider: provider.name, code: 'no_address' });
}
