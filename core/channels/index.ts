/**
 * Channels: the providers (SendGrid, Twilio, Meta, Google, outbox) and what journeys do with them — send a
 * message, sync an ad audience, call a webhook, create a store task — each once per idempotency key —
 * plus what providers tell us back (signed webhooks, STOP/START, unsubscribe links).
 */
export { syncAudience, type SyncAudienceInput } from './audience';
export { consentAllows, isSuppressed, setConsent, suppress, unsuppress, type ConsentPolicy, type Purpose, type SkipReason } from './consent';
export { isChannelError, PermanentChannelError, TransientChannelError, type ChannelError, type ChannelErrorInfo } from './errors';
// One normalization of identifiers for every channel: suppressions, identities and ad hashes must agree.
export { normalizeEmail, normalizePhone } from '../identity/normalize';
export { applyUnsubscribe, smsOptIn, smsOptOut } from './opt-out';
export type { SendResult } from './outbound';
export { previewMessage, type MessagePreview } from './preview';
export { channelSettings, createProviders, type ProviderEnv } from './providers';
export { loadRecipient, type Recipient } from './recipients';
export { smsSegments, type SmsSegments } from './sms-parts';
export {
	previewStep,
	sendTestMessage,
	StepPreviewInput,
	TestSendError,
	testSendErrorStatus,
	TestSendInput,
	TEST_PREFIX,
	type StepPreview,
	type TestSendResult
} from './test-send';
export { sendMessage, type EmailContent, type SendMessageInput, type SmsContent } from './send';
export { recordMessageEvent, statusOrder } from './status';
export { completeStoreTask, createStoreTask, listStoreTasks, type CreateStoreTaskInput, type StoreTaskView } from './store-tasks';
export { renderTemplate, type TemplateContext, type TemplateOffer } from './template';
export type * from './types';
export { readUnsubscribeToken, unsubscribeToken, unsubscribeUrl, type UnsubscribeClaim } from './unsubscribe';
export { callWebhook, SIGNATURE_HEADER, signWebhook, verifyWebhookSignature, type WebhookCall, type WebhookResult } from './webhook';
export { recordSendGridEvents, SendGridEvents, verifySendGridSignature } from './webhooks/sendgrid';
export { handleInboundSms, recordTwilioStatus, smsKeyword, twimlReply, verifyTwilioSignature } from './webhooks/twilio';
