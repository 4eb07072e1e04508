import type { Message } from '../db/schema/messages';
import { isChannelError } from './errors';
import { dispatchOf } from './outbound';
import type { LookupAnswer, ProviderReceipt, Providers } from './types';
import { providerOf } from './outbox';

/**
 * An attempt whose provider call ended without an answer (a timeout, a reset, a worker that died mid-call)
 * may have been sent. Before any new call the provider is asked; this bounds how long we keep asking (or
 * waiting for its webhook) before the message is marked `unknown` for a person to check.
 */
export const UNDECIDABLE_AFTER_MS = 20 * 60_000;

/** Connection-level failures that prove the request never reached the provider. */
const NEVER_LEFT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Did a failed provider call possibly get through? An HTTP answer (any status) means the provider decided and
 * told us; a refused connection never reached it. A timeout, a reset, or anything unexpected: maybe.
 */
export function mayHaveSent(err: unknown): boolean {
	if (!isChannelError(err)) return true;
	if (err.info.status !== undefined) return false;
	return !NEVER_LEFT.has(err.info.code);
}

export type Verdict = { state: 'sent'; receipt: ProviderReceipt } | { state: 'not_sent' } | { state: 'wait'; why: string } | { state: 'unknown'; why: string };

/**
 * What became of the earlier attempt recorded on `row`: the provider's lookup decides when it can; while it
 * cannot (lookup down, not indexed yet, no lookup API and no webhook yet) we wait, up to UNDECIDABLE_AFTER_MS
 * after the attempt, then give up deciding. A webhook that reports the message moves it out of `pending`
 * before we get here, so reaching this point means no report has arrived.
 */
export async function verifyEarlierAttempt(providers: Providers, row: Message, now: Date): Promise<Verdict> {
	const mark = dispatchOf(row);
	if (!mark) return { state: 'not_sent' };
	const since = new Date(mark.at);
	const provider = providerOf(providers, row.channel === 'sms' || row.channel === 'whatsapp' || row.channel === 'push' ? row.channel : 'email');
	// The outbox only records (nothing left the machine); a row whose provider changed since cannot be looked up.
	if (row.provider === 'outbox' && provider.name === 'outbox') return { state: 'not_sent' };
	const answer: LookupAnswer =
		provider.name !== row.provider
			? { state: 'unavailable', why: `sent through ${row.provider}, now configured: ${provider.name}` }
			: 'lookup' in provider && provider.lookup
				? await provider.lookup({ messageId: row.id, to: row.to, body: row.body, since, now })
				: { state: 'unavailable', why: `${provider.name} cannot be asked` };
	if (answer.state === 'sent' || answer.state === 'not_sent') return answer;
	const waited = now.getTime() - since.getTime();
	if (waited >= UNDECIDABLE_AFTER_MS)
		return { state: 'unknown', why: `attempt at ${mark.at} got no answer and could not be looked up for ${Math.round(waited / 60_000)} min: ${answer.why}` };
	return { state: 'wait', why: answer.why };
}
