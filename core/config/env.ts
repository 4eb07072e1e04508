import { z } from 'zod';

/**
 * Every setting comes from the environment (secrets included), parsed once with zod so a typo fails at
 * start-up with a clear message instead of at the first send. Empty strings count as "not set".
 */
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const optional = () => z.preprocess(blankToUndefined, z.string().optional());
const sendRate = z.preprocess(
	blankToUndefined,
	z
		.string()
		.regex(/^\d+\/(second|minute|hour)$/, 'like 60/minute')
		.optional()
);

export const envSchema = z.object({
	NODE_ENV: z.preprocess(blankToUndefined, z.enum(['development', 'production', 'test']).default('development')),
	/** Where embedded data lives: PGlite's directory, the Temporal dev server's SQLite file, built tools. */
	DATA_DIR: z.preprocess(blankToUndefined, z.string().default('.data')),
	/** PostgreSQL; when unset the embedded PGlite database under DATA_DIR is used. */
	DATABASE_URL: optional(),
	/**
	 * Small queries run as named prepared statements (core/db/prepared.ts). `false` behind a pooler in transaction
	 * mode that cannot keep them (PgBouncer before 1.21).
	 */
	DATABASE_PREPARE: z.preprocess(blankToUndefined, z.enum(['true', 'false']).default('true')).transform((v) => v === 'true'),
	TEMPORAL_ADDRESS: optional(),
	TEMPORAL_NAMESPACE: z.preprocess(blankToUndefined, z.string().default('default')),
	TEMPORAL_TASK_QUEUE: z.preprocess(blankToUndefined, z.string().default('omnicanal')),
	TEMPORAL_API_KEY: optional(),
	TEMPORAL_TLS: z.preprocess(blankToUndefined, z.enum(['true', 'false']).default('false')).transform((v) => v === 'true'),
	TEMPORAL_TLS_CERT: optional(),
	TEMPORAL_TLS_KEY: optional(),
	/** The Temporal Web UI, linked from enrollments; set for an external cluster. */
	TEMPORAL_UI_URL: optional(),
	/** Log level of the Temporal worker runtime (its INFO level logs every state change and the bundle). */
	LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('WARN')),
	PORT: z.coerce.number().int().positive().default(3000),
	/** The public URL of the web app: used in links we send (unsubscribe, ad landing pages, webhooks). */
	PUBLIC_URL: optional(),
	/** Signs session cookies and unsubscribe links. Generated and kept under DATA_DIR when unset. */
	APP_SECRET: optional(),
	ADMIN_EMAIL: z.preprocess(blankToUndefined, z.string().email().default('admin@omnicanal.local')),
	ADMIN_PASSWORD: optional(),
	SENDGRID_API_KEY: optional(),
	SENDGRID_FROM: optional(),
	SENDGRID_WEBHOOK_PUBLIC_KEY: optional(),
	SENDGRID_BASE_URL: optional(),
	/** `true` when the account has Email Activity history: a send whose answer was lost is looked up there. */
	SENDGRID_EMAIL_ACTIVITY: z.preprocess(blankToUndefined, z.enum(['true', 'false']).default('false')).transform((v) => v === 'true'),
	TWILIO_ACCOUNT_SID: optional(),
	TWILIO_AUTH_TOKEN: optional(),
	TWILIO_FROM: optional(),
	TWILIO_MESSAGING_SERVICE_SID: optional(),
	TWILIO_BASE_URL: optional(),
	/** Our WhatsApp sender on Twilio (`whatsapp:+E164` or the number); WhatsApp steps go to the outbox without it. */
	TWILIO_WHATSAPP_FROM: optional(),
	/** Web push VAPID key pair (base64url, `npx web-push generate-vapid-keys`); generated under DATA_DIR when unset. */
	VAPID_PUBLIC_KEY: optional(),
	VAPID_PRIVATE_KEY: optional(),
	/** The contact push services may use about our pushes: `mailto:` or an https URL (default: PUBLIC_URL). */
	VAPID_SUBJECT: optional(),
	/** Origins (comma-separated) of push services accepted besides the browsers' own (a self-hosted one). */
	WEB_PUSH_ALLOWED_ORIGINS: optional(),
	META_ACCESS_TOKEN: optional(),
	META_BASE_URL: optional(),
	GOOGLE_ADS_DEVELOPER_TOKEN: optional(),
	GOOGLE_ADS_ACCESS_TOKEN: optional(),
	GOOGLE_ADS_CUSTOMER_ID: optional(),
	GOOGLE_ADS_BASE_URL: optional(),
	WEBHOOK_SIGNING_SECRET: optional(),
	/** Send rate per channel shared by every worker, `<n>/<second|minute|hour>` (e.g. `60/minute` for SMS). */
	SEND_RATE_EMAIL: sendRate,
	SEND_RATE_SMS: sendRate,
	SEND_RATE_WHATSAPP: sendRate,
	SEND_RATE_PUSH: sendRate,
	/** Keys the hashes that keep an erased person's suppressions working (core/privacy/keyed-hash.ts). Generated under DATA_DIR when unset. */
	PRIVACY_HASH_KEY: optional(),
	/** Host names or IPs (comma-separated) the webhook step may reach although they resolve to private addresses. */
	WEBHOOK_ALLOWED_HOSTS: optional(),
	/**
	 * Ingest backpressure: once this many accepted messages wait for the processor, the ingest API answers 429 with
	 * Retry-After (nothing stored) until it catches up. 0 turns the bound off.
	 */
	INGEST_MAX_BACKLOG: z.coerce.number().int().min(0).default(100_000),
	/** Messages the inbox processor writes per transaction (each worker runs one processor). */
	INGEST_PROCESSOR_BATCH: z.coerce.number().int().min(1).max(5_000).default(500),
	/** `1` turns on the demo: the /shop pages and the demo users. `npm start` sets it on its embedded default. */
	DEMO: z.preprocess(blankToUndefined, z.enum(['0', '1', 'true', 'false']).default('0')).transform((v) => v === '1' || v === 'true')
});

export type AppEnv = z.infer<typeof envSchema>;

export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** Parses the given environment (process.env by default); throws a ConfigError naming every bad variable. */
/** The last parse of process.env and the values it was made from (`envFingerprint`). */
let lastParse: { fingerprint: string; env: AppEnv } | undefined;
const SETTINGS = Object.keys(envSchema.shape);

/** The settings' values as one string: reading a dozen variables costs far less than a zod parse of all of them. */
function envFingerprint(source: Record<string, string | undefined>): string {
	return SETTINGS.map((k) => source[k] ?? '\u0000').join('\u0001');
}

/**
 * Parses `source`. For process.env the parse is reused until one of the settings changes, so callers on the hot
 * path (every web request asks) pay a lookup, while tests that change settings in one process still see them.
 */
export function loadEnv(source: Record<string, string | undefined> = process.env): AppEnv {
	if (source !== process.env) return parseEnv(source);
	const fingerprint = envFingerprint(source);
	// Frozen: every caller shares it.
	if (lastParse?.fingerprint !== fingerprint) lastParse = { fingerprint, env: Object.freeze(parseEnv(source)) };
	return lastParse.env;
}

function parseEnv(source: Record<string, string | undefined>): AppEnv {
	const parsed = envSchema.safeParse(source);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
	}
	return parsed.data;
}
