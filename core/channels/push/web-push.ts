import type { Agent } from 'node:https';
import webpush from 'web-push';
import { httpError, networkError, PermanentChannelError } from '../errors';
import type { OutgoingPush, ProviderReceipt, PushProvider } from '../types';
import type { VapidKeys } from './vapid';

export type WebPushOptions = {
	/** Read at the first send, so building providers (a preview) never generates keys. */
	keys: () => VapidKeys;
	timeoutMs?: number;
	/** An https.Agent (tests: one that trusts the local push service's certificate). */
	agent?: Agent;
};

/** Sends through the `web-push` library: VAPID-signed, payload encrypted as aes128gcm (RFC 8291). */
export class WebPushProvider implements PushProvider {
	readonly channel = 'push';
	readonly name = 'web-push';

	constructor(private readonly options: WebPushOptions) {}

	async send(push: OutgoingPush): Promise<ProviderReceipt> {
		const { publicKey, privateKey, subject } = this.options.keys();
		try {
			const result = await webpush.sendNotification(push.subscription, push.payload, {
				vapidDetails: { subject, publicKey, privateKey },
				contentEncoding: 'aes128gcm',
				TTL: push.ttlSeconds,
				urgency: 'normal',
				timeout: this.options.timeoutMs ?? 30_000,
				...(push.topic ? { topic: push.topic } : {}),
				...(this.options.agent ? { agent: this.options.agent } : {})
			});
			// The push service's message URL (RFC 8030 §5: Location) is its id for what it accepted.
			const location = result.headers?.location ?? result.headers?.Location;
			return { providerMessageId: typeof location === 'string' ? location : null, status: 'sent' };
		} catch (err) {
			const status = (err as { statusCode?: unknown }).statusCode;
			if (status === 404 || status === 410)
				throw new PermanentChannelError(`web-push: the subscription is gone (${status})`, { provider: this.name, status, code: 'subscription_gone' });
			if (typeof status === 'number' && status >= 400)
				throw httpError(this.name, status, String((err as { body?: unknown }).body ?? '').slice(0, 300) || 'refused');
			throw networkError(this.name, err) ?? err;
		}
	}
}
