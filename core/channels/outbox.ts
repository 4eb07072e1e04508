import type { AudienceProvider, EmailProvider, ProviderReceipt, PushProvider, Providers, SmsProvider, WhatsAppProvider } from './types';

/**
 * Used for a channel without credentials: nothing leaves the machine. The message row (written by
 * sendMessage before any provider is called) is the outbox entry, with provider `outbox` and status `sent`,
 * so the embedded default works offline and the UI's Outbox page shows what would have gone out.
 */
const receipt = async (): Promise<ProviderReceipt> => ({ providerMessageId: null, status: 'sent' });

export const outboxEmail: EmailProvider = { channel: 'email', name: 'outbox', send: receipt };
export const outboxSms: SmsProvider = { channel: 'sms', name: 'outbox', send: receipt };
export const outboxWhatsApp: WhatsAppProvider = { channel: 'whatsapp', name: 'outbox', send: receipt };
export const outboxPush: PushProvider = { channel: 'push', name: 'outbox', send: receipt };
export const outboxAudience: AudienceProvider = { channel: 'ads', name: 'outbox', sync: receipt };

export type MessageChannel = 'email' | 'sms' | 'whatsapp' | 'push';

/** The provider that sends on `channel`: the configured one, or the outbox. */
export function providerOf(providers: Providers, channel: 'whatsapp'): WhatsAppProvider;
export function providerOf(providers: Providers, channel: 'push'): PushProvider;
export function providerOf(providers: Providers, channel: MessageChannel): EmailProvider | SmsProvider | WhatsAppProvider | PushProvider;
export function providerOf(providers: Providers, channel: MessageChannel): EmailProvider | SmsProvider | WhatsAppProvider | PushProvider {
	if (channel === 'email') return providers.email;
	if (channel === 'sms') return providers.sms;
	if (channel === 'whatsapp') return providers.whatsapp ?? outboxWhatsApp;
	return providers.push ?? outboxPush;
}
