import type { Db } from '../db/client';
import { draftMessage } from './compose';
import type { SkipReason } from './consent';
import { loadRecipient } from './recipients';
import { addressOf, type SendMessageInput } from './send';
import type { Providers } from './types';

export type MessagePreview =
	| { ok: true; to: string; subject: string | null; body: string; meta: Record<string, unknown> }
	| { ok: false; reason: SkipReason | 'template_error'; message?: string };

/**
 * What `sendMessage` would send to this customer, rendered the same way but neither stored nor sent: the
 * builder's preview and dry run. Consent and suppressions are not applied (they are send-time facts).
 */
export async function previewMessage(db: Db, providers: Providers, input: SendMessageInput): Promise<MessagePreview> {
	const recipient = await loadRecipient(db, input.customerId);
	if (!recipient) return { ok: false, reason: 'no_customer' };
	const address = await addressOf(db, recipient, input.channel);
	if (!address) return { ok: false, reason: 'no_address' };
	const draft = await draftMessage(db, providers, input, recipient, address, input.now ?? new Date());
	if (draft.status === 'failed') return { ok: false, reason: 'template_error', message: draft.error ?? undefined };
	return { ok: true, to: draft.to, subject: draft.subject ?? null, body: draft.body, meta: draft.meta ?? {} };
}
