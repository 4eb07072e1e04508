import { PermanentChannelError } from '../errors';
import { callJson, type FetchLike } from '../http';
import type { AudienceChange, AudienceProvider, ProviderReceipt } from '../types';
import { googleEmailHash, googlePhoneHash } from './hash';

export type GoogleAdsOptions = {
	developerToken: string;
	accessToken: string;
	/** The Google Ads account (dashes allowed) that owns the Customer Match lists. */
	customerId: string;
	/** The manager account, when access goes through one. */
	loginCustomerId?: string;
	baseUrl?: string;
	apiVersion?: string;
	timeoutMs?: number;
	fetch?: FetchLike;
};

/**
 * Google Customer Match through an offline user data job: create the job for the list, add one create or
 * remove operation with the hashed identifiers, run it. Google processes the job asynchronously.
 */
export class GoogleAdsAudienceProvider implements AudienceProvider {
	readonly channel = 'ads';
	readonly name = 'google';

	constructor(private readonly options: GoogleAdsOptions) {}

	private get customerId(): string {
		return this.options.customerId.replace(/\D/g, '');
	}

	private url(path: string): string {
		const base = (this.options.baseUrl ?? 'https://googleads.googleapis.com').replace(/\/+$/, '');
		return `${base}/${this.options.apiVersion ?? 'v24'}/${path}`;
	}

	private post(path: string, body: unknown): Promise<Record<string, unknown>> {
		return callJson(this.name, this.url(path), {
			method: 'POST',
			headers: {
				authorization: `Bearer ${this.options.accessToken}`,
				'developer-token': this.options.developerToken,
				...(this.options.loginCustomerId ? { 'login-customer-id': this.options.loginCustomerId.replace(/\D/g, '') } : {}),
				'content-type': 'application/json'
			},
			body: JSON.stringify(body),
			timeoutMs: this.options.timeoutMs ?? 30_000,
			fetch: this.options.fetch
		});
	}

	static userIdentifiers(change: AudienceChange): Array<{ hashedEmail: string } | { hashedPhoneNumber: string }> {
		const ids = [
			...change.member.emails.slice(0, 1).map((e) => ({ hashedEmail: googleEmailHash(e) })),
			...change.member.phones.slice(0, 1).map((p) => ({ hashedPhoneNumber: googlePhoneHash(p) }))
		];
		if (ids.length === 0)
			throw new PermanentChannelError('google: the customer has no e-mail or phone to match on', { provider: 'google', code: 'no_identifiers' });
		return ids;
	}

	async sync(change: AudienceChange): Promise<ProviderReceipt> {
		const userIdentifiers = GoogleAdsAudienceProvider.userIdentifiers(change);
		const userList = change.audienceId.startsWith('customers/') ? change.audienceId : `customers/${this.customerId}/userLists/${change.audienceId}`;
		// EU users need the consent signal on the job; it is only sent when the customer gave it.
		const consent = change.consent === 'granted' ? { consent: { adUserData: 'GRANTED', adPersonalization: 'GRANTED' } } : {};
		const created = await this.post(`customers/${this.customerId}/offlineUserDataJobs:create`, {
			job: { type: 'CUSTOMER_MATCH_USER_LIST', customerMatchUserListMetadata: { userList, ...consent } }
		});
		const job = created.resourceName;
		if (typeof job !== 'string')
			throw new PermanentChannelError('google: job creation answered no resourceName', { provider: this.name, code: 'bad_response', detail: created });
		const operation = change.action === 'add' ? { create: { userIdentifiers } } : { remove: { userIdentifiers } };
		await this.post(`${job}:addOperations`, { operations: [operation], enablePartialFailure: true });
		const run = await this.post(`${job}:run`, {});
		return { providerMessageId: job, status: 'sent', meta: { operation: typeof run.name === 'string' ? run.name : null } };
	}
}
