import type { AudienceProvider, EmailProvider, ProviderReceipt, SmsProvider } from './types';

/**
 * Used for a channel without credentials: nothing leaves the machine. The message row (written by
 * sendMessage before any provider is called) is the outbox entry, with provider `outbox` and status `sent`,
 * so the embedded default works offline and the UI's Outbox page shows what would have gone out.
 */
const receipt = async (): Promise<ProviderReceipt> => ({ providerMessageId: null, status: 'sent' });

export const outboxEmail: EmailProvider = { channel: 'email', name: 'outbox', send: receipt };
export const outboxSms: SmsProvider = { channel: 'sms', name: 'outbox', send: receipt };
export const outboxAudience: AudienceProvider = { channel: 'ads', name: 'outbox', sync: receipt };
