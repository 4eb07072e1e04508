import { PermanentChannelError } from '../errors';
import { callJson, type FetchLike } from '../http';
import type { AudienceChange, AudienceProvider, ProviderReceipt } from '../types';
import { metaEmailHash, metaPhoneHash } from './hash';

export type MetaOptions = { accessToken: string; baseUrl?: string; apiVersion?: string; timeoutMs?: number; fetch?: FetchLike };

/**
 * Meta Custom Audiences: `POST /{audience_id}/users` adds, `DELETE` removes, with a `payload` of hashed
 * identifiers. One identifier uses the single-key form (`schema: "EMAIL_SHA256"`, flat data); several use
 * the multi-key form (`schema: ["EMAIL", "PHONE"]`, one row per person, values hashed), which matches better.
 */
export class MetaAudienceProvider implements AudienceProvider {
	readonly channel = 'ads';
	readonly name = 'meta';

	constructor(private readonly options: MetaOptions) {}

	static payload(change: AudienceChange): { schema: string | string[]; data: string[] | string[][] } {
		const email = change.member.emails[0];
		const phone = change.member.phones[0];
		if (email && phone) return { schema: ['EMAIL', 'PHONE'], data: [[metaEmailHash(email), metaPhoneHash(phone)]] };
		if (email) return { schema: 'EMAIL_SHA256', data: [metaEmailHash(email)] };
		if (phone) return { schema: 'PHONE_SHA256', data: [metaPhoneHash(phone)] };
		throw new PermanentChannelError('meta: the customer has no e-mail or phone to match on', { provider: 'meta', code: 'no_identifiers' });
	}

	async sync(change: AudienceChange): Promise<ProviderReceipt> {
		const base = (this.options.baseUrl ?? 'https://graph.facebook.com').replace(/\/+$/, '');
		const url = `${base}/${this.options.apiVersion ?? 'v25.0'}/${encodeURIComponent(change.audienceId)}/users`;
		const body = new URLSearchParams({ payload: JSON.stringify(MetaAudienceProvider.payload(change)) });
		const answer = await callJson(this.name, url, {
			method: change.action === 'add' ? 'POST' : 'DELETE',
			headers: { authorization: `Bearer ${this.options.accessToken}`, 'content-type': 'application/x-www-form-urlencoded' },
			body,
			timeoutMs: this.options.timeoutMs ?? 30_000,
			fetch: this.options.fetch
		});
		const session = answer.session_id;
		return {
			providerMessageId: typeof session === 'string' || typeof session === 'number' ? String(session) : null,
			status: 'sent',
			meta: { numReceived: answer.num_received ?? null, numInvalid: answer.num_invalid_entries ?? null }
		};
	}
}
