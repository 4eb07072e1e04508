/**
 * One provider interface per channel kind. Implementations: SendGrid / Twilio / Meta / Google, and the
 * outbox used when a channel has no credentials (the message is recorded and shown in the UI, never sent).
 */
export type ProviderReceipt = {
	/** The provider's id for what it accepted (SendGrid X-Message-Id, Twilio SID, Meta session, Google job). */
	providerMessageId: string | null;
	/** `queued` when the provider reports more to come (Twilio), `sent` once handed over for good. */
	status: 'queued' | 'sent';
	meta?: Record<string, unknown>;
};

export type OutgoingEmail = {
	to: string;
	from: string;
	replyTo?: string;
	subject: string;
	html?: string;
	text?: string;
	headers: Record<string, string>;
	/** Echoed back by SendGrid's event webhook; sent in personalizations[].custom_args (see DESIGN.md). */
	customArgs: Record<string, string>;
};

export type OutgoingSms = { to: string; body: string; statusCallback?: string };

/**
 * One WhatsApp message: `to` is `whatsapp:+E164`. Either a free-form `body` (only inside the 24-hour window) or an
 * approved `template` (Twilio Content API: `ContentSid` + `ContentVariables`), never both.
 */
export type OutgoingWhatsApp = { to: string; statusCallback?: string } & (
	{ body: string; template?: never } | { body?: never; template: { contentSid: string; variables: Record<string, string> } }
);

/** A browser's push subscription (the PushSubscription JSON the shop's service worker registered). */
export type PushTarget = { endpoint: string; keys: { p256dh: string; auth: string } };

/** One notification to one browser; `payload` is the JSON the service worker shows (title, body, url, tag). */
export type OutgoingPush = { subscription: PushTarget; payload: string; ttlSeconds: number; topic?: string };

/**
 * What a provider can tell us about an earlier attempt whose answer we never got (a timeout after the
 * request left): `sent` (found it), `not_sent` (confirmed absent), `wait` (cannot tell yet: ask again later),
 * `unavailable` (this provider or account offers no lookup: only its webhook can tell).
 */
export type LookupAnswer =
	{ state: 'sent'; receipt: ProviderReceipt } | { state: 'not_sent' } | { state: 'wait'; why: string } | { state: 'unavailable'; why: string };

/** The attempt to find: our message id (custom args / status-callback URL), the recipient and when it left. */
export type SentLookup = { messageId: string; to: string; body: string; since: Date; now: Date };

/** Normalized identifiers: lower-cased e-mails, E.164 phones. Providers hash them their own way. */
export type AudienceMember = { emails: string[]; phones: string[] };

export type AudienceChange = {
	audienceId: string;
	action: 'add' | 'remove';
	member: AudienceMember;
	/** The customer's ads consent, passed on where the provider asks for it (Google, EU users). */
	consent: 'granted' | 'denied' | 'unknown';
};

export interface EmailProvider {
	readonly channel: 'email';
	readonly name: string;
	send(email: OutgoingEmail): Promise<ProviderReceipt>;
	/** Absent: the provider cannot be asked (the outbox, which never loses an answer). */
	lookup?(attempt: SentLookup): Promise<LookupAnswer>;
}

export interface SmsProvider {
	readonly channel: 'sms';
	readonly name: string;
	send(sms: OutgoingSms): Promise<ProviderReceipt>;
	lookup?(attempt: SentLookup): Promise<LookupAnswer>;
}

export interface WhatsAppProvider {
	readonly channel: 'whatsapp';
	readonly name: string;
	send(message: OutgoingWhatsApp): Promise<ProviderReceipt>;
	lookup?(attempt: SentLookup): Promise<LookupAnswer>;
}

/**
 * Web push (RFC 8030 + VAPID, RFC 8292, payload encrypted per RFC 8291). A push service's 404 or 410 throws a
 * PermanentChannelError with code `subscription_gone`: the browser unsubscribed and the subscription must go.
 */
export interface PushProvider {
	readonly channel: 'push';
	readonly name: string;
	send(push: OutgoingPush): Promise<ProviderReceipt>;
}

export interface AudienceProvider {
	readonly channel: 'ads';
	readonly name: string;
	sync(change: AudienceChange): Promise<ProviderReceipt>;
}

export type AdNetwork = 'meta' | 'google';

export type ChannelSettings = {
	/** Base of links in messages (unsubscribe, QR codes, status callbacks). */
	publicUrl: string;
	/** Signs unsubscribe links. */
	appSecret: string;
	/** Default sender: `Name <address>` or an address. */
	emailFrom: string;
	/** Ask Twilio for status callbacks only when PUBLIC_URL says where Twilio can reach us. */
	statusCallbacks: boolean;
};

export type Providers = {
	email: EmailProvider;
	sms: SmsProvider;
	/** Absent: the outbox (suites that build providers by hand need not name every channel). */
	whatsapp?: WhatsAppProvider;
	push?: PushProvider;
	audiences: Record<AdNetwork, AudienceProvider>;
	settings: ChannelSettings;
};
