import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { consentAllows } from './consent';
import { PermanentChannelError } from './errors';
import { claim, insertOrGet, markFinal, markSent, messageByKey, release, resultFromRow, type SendResult } from './outbound';
import { loadRecipient } from './recipients';
import type { AdNetwork, AudienceChange, Providers } from './types';

export type SyncAudienceInput = {
	/** Enrollment + node + visit. */
	idempotencyKey: string;
	network: AdNetwork;
	audienceId: string;
	action: 'add' | 'remove';
	customerId: string;
	journeyId?: string;
	enrollmentId?: string;
	nodeId?: string;
	now?: Date;
};

/**
 * Adds the customer to (or removes them from) a Meta Custom Audience or Google Customer Match list, recorded
 * as a `messages` row on channel `ads` with the same once-only guarantees as sendMessage. Adding needs the
 * customer's ads consent not to be refused; removing is always allowed (it is what a refusal asks for).
 */
export async function syncAudience(db: Db, providers: Providers, input: SyncAudienceInput): Promise<SendResult> {
	const now = input.now ?? new Date();
	const provider = providers.audiences[input.network];
	let row = await messageByKey(db, input.idempotencyKey);
	if (row && row.status !== 'pending') return resultFromRow(row, true);
	const recipient = await loadRecipient(db, input.customerId);
	if (!row) {
		const skip = !recipient ? 'no_customer' : recipient.erased ? 'erased' : recipient.emails.length + recipient.phones.length === 0 ? 'no_address' : null;
		const stored = await insertOrGet(db, {
			id: randomUUID(),
			idempotencyKey: input.idempotencyKey,
			channel: 'ads',
			provider: provider.name,
			customerId: recipient?.customerId ?? input.customerId,
			journeyId: input.journeyId ?? null,
			enrollmentId: input.enrollmentId ?? null,
			nodeId: input.nodeId ?? null,
			to: `${input.network}:${input.audienceId}`,
			body: `${input.action} ${input.action === 'add' ? 'to' : 'from'} ${input.network} audience ${input.audienceId}`,
			meta: { network: input.network, audienceId: input.audienceId, action: input.action },
			...(skip ? { status: 'skipped' as const, error: skip } : {}),
			createdAt: now,
			updatedAt: now
		});
		row = stored.row;
		if (row.status !== 'pending') return resultFromRow(row, !stored.inserted);
	}
	if (!recipient) return resultFromRow(await markFinal(db, row.id, 'skipped', 'no_customer', now), false);
	if (input.action === 'add' && !consentAllows(recipient, 'ads', 'opt-out', 'marketing'))
		return resultFromRow(await markFinal(db, row.id, 'skipped', 'no_consent', now), false);

	const claimed = await claim(db, row, now);
	if ('finished' in claimed) return resultFromRow(claimed.finished, true);
	const granted = recipient.consent.ads?.granted;
	const change: AudienceChange = {
		audienceId: input.audienceId,
		action: input.action,
		member: { emails: recipient.emails, phones: recipient.phones },
		consent: granted === true ? 'granted' : granted === false ? 'denied' : 'unknown'
	};
	try {
		return resultFromRow(await markSent(db, claimed.id, await provider.sync(change), now), false);
	} catch (err) {
		if (err instanceof PermanentChannelError)
			return resultFromRow(
				await markFinal(db, claimed.id, 'failed', err.message, now, { errorCode: err.info.code, errorStatus: err.info.status ?? null }),
				false
			);
		await release(db, claimed.id, err instanceof Error ? err.message : String(err), now);
		throw err;
	}
}
