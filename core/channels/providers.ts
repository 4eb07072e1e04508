import type { AppEnv } from '../config/env';
import { GoogleAdsAudienceProvider } from './ads/google';
import { MetaAudienceProvider } from './ads/meta';
import type { FetchLike } from './http';
import { outboxAudience, outboxEmail, outboxSms, outboxWhatsApp } from './outbox';
import { vapidKeys } from './push/vapid';
import { WebPushProvider } from './push/web-push';
import { TwilioWhatsAppProvider } from './whatsapp';
import { SendGridEmailProvider } from './sendgrid';
import { TwilioSmsProvider } from './twilio';
import type { ChannelSettings, Providers } from './types';

export type ProviderEnv = Pick<
	AppEnv,
	| 'PORT'
	| 'PUBLIC_URL'
	| 'APP_SECRET'
	| 'SENDGRID_API_KEY'
	| 'SENDGRID_FROM'
	| 'SENDGRID_BASE_URL'
	| 'SENDGRID_EMAIL_ACTIVITY'
	| 'TWILIO_ACCOUNT_SID'
	| 'TWILIO_AUTH_TOKEN'
	| 'TWILIO_FROM'
	| 'TWILIO_MESSAGING_SERVICE_SID'
	| 'TWILIO_BASE_URL'
	| 'TWILIO_WHATSAPP_FROM'
	| 'VAPID_PUBLIC_KEY'
	| 'VAPID_PRIVATE_KEY'
	| 'VAPID_SUBJECT'
	| 'DATA_DIR'
	| 'META_ACCESS_TOKEN'
	| 'META_BASE_URL'
	| 'GOOGLE_ADS_DEVELOPER_TOKEN'
	| 'GOOGLE_ADS_ACCESS_TOKEN'
	| 'GOOGLE_ADS_CUSTOMER_ID'
	| 'GOOGLE_ADS_BASE_URL'
>;

export function channelSettings(env: ProviderEnv): ChannelSettings {
	// `npm start` generates APP_SECRET into process.env after parsing the environment; accept that one too.
	const appSecret = env.APP_SECRET ?? process.env.APP_SECRET;
	if (!appSecret) throw new Error('APP_SECRET is not set: it signs unsubscribe links (npm start generates one under DATA_DIR)');
	return {
		publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
		appSecret,
		emailFrom: env.SENDGRID_FROM ?? 'Omnicanal <no-reply@omnicanal.local>',
		statusCallbacks: env.PUBLIC_URL !== undefined
	};
}

/**
 * The providers for each channel, from the environment: the real one where credentials are set, the outbox
 * where they are not (so a fresh install sends nothing by accident and still shows every message).
 */
export function createProviders(env: ProviderEnv, options: { timeoutMs?: number; fetch?: FetchLike } = {}): Providers {
	const timeoutMs = options.timeoutMs ?? 30_000;
	const email = env.SENDGRID_API_KEY
		? new SendGridEmailProvider({ apiKey: env.SENDGRID_API_KEY, baseUrl: env.SENDGRID_BASE_URL, timeoutMs, emailActivity: env.SENDGRID_EMAIL_ACTIVITY })
		: outboxEmail;
	const sms =
		env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && (env.TWILIO_MESSAGING_SERVICE_SID || env.TWILIO_FROM)
			? new TwilioSmsProvider({
					accountSid: env.TWILIO_ACCOUNT_SID,
					authToken: env.TWILIO_AUTH_TOKEN,
					messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
					from: env.TWILIO_FROM,
					baseUrl: env.TWILIO_BASE_URL,
					timeoutMs
				})
			: outboxSms;
	const meta = env.META_ACCESS_TOKEN
		? new MetaAudienceProvider({ accessToken: env.META_ACCESS_TOKEN, baseUrl: env.META_BASE_URL, timeoutMs, fetch: options.fetch })
		: outboxAudience;
	const google =
		env.GOOGLE_ADS_DEVELOPER_TOKEN && env.GOOGLE_ADS_ACCESS_TOKEN && env.GOOGLE_ADS_CUSTOMER_ID
			? new GoogleAdsAudienceProvider({
					developerToken: env.GOOGLE_ADS_DEVELOPER_TOKEN,
					accessToken: env.GOOGLE_ADS_ACCESS_TOKEN,
					customerId: env.GOOGLE_ADS_CUSTOMER_ID,
					baseUrl: env.GOOGLE_ADS_BASE_URL,
					timeoutMs,
					fetch: options.fetch
				})
			: outboxAudience;
	const whatsapp =
		env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_WHATSAPP_FROM
			? new TwilioWhatsAppProvider({
					accountSid: env.TWILIO_ACCOUNT_SID,
					authToken: env.TWILIO_AUTH_TOKEN,
					from: env.TWILIO_WHATSAPP_FROM,
					baseUrl: env.TWILIO_BASE_URL,
					timeoutMs
				})
			: outboxWhatsApp;
	// Web push needs no account: our VAPID keys (generated once when not configured) are the credentials.
	const push = new WebPushProvider({ keys: () => vapidKeys(env), timeoutMs });
	return { email, sms, whatsapp, push, audiences: { meta, google }, settings: channelSettings(env) };
}
