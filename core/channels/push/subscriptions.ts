import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { pushSubscriptions, type PushSubscriptionRow } from '../../db/schema/push';
import { customerFamily } from '../../identity/lookup';

/**
 * The push services browsers subscribe with. Our server POSTs to a subscription's endpoint, which a visitor
 * sends us: only these https hosts are accepted (plus WEB_PUSH_ALLOWED_ORIGINS), so an endpoint cannot turn
 * the worker into a client of an internal address.
 */
const PUSH_SERVICE_HOSTS = [
	/^fcm\.googleapis\.com$/,
	/^android\.googleapis\.com$/,
	/^updates\.push\.services\.mozilla\.com$/,
	/^web\.push\.apple\.com$/,
	/\.notify\.windows\.com$/
];

const base64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, 'expected base64url');

/** A PushSubscription as the browser serializes it (`subscription.toJSON()`). */
export const PushSubscriptionInput = z.object({
	endpoint: z.string().url().max(2000),
	expirationTime: z.number().nullable().optional(),
	keys: z.object({
		// An uncompressed P-256 point (65 bytes → 87 characters) and a 16-byte secret (22 characters).
		p256dh: base64url.min(80).max(100),
		auth: base64url.min(16).max(40)
	})
});
export type PushSubscriptionInput = z.infer<typeof PushSubscriptionInput>;

/** Origins (comma-separated) of push services besides the browsers' own, e.g. a self-hosted one or a test's. */
export function allowedPushOrigins(value: string | undefined): string[] {
	return (value ?? '')
		.split(',')
		.map((s) => s.trim().replace(/\/+$/, ''))
		.filter(Boolean);
}

/** Why an endpoint is refused, or null when it is a known push service's https URL. */
export function pushEndpointProblem(endpoint: string, extraOrigins: readonly string[] = []): string | null {
	let url: URL;
	try {
		url = new URL(endpoint);
	} catch {
		return 'The endpoint is not a URL.';
	}
	if (extraOrigins.includes(url.origin)) return null;
	if (url.protocol !== 'https:') return 'The endpoint must be an https URL of a browser push service.';
	if (!PUSH_SERVICE_HOSTS.some((h) => h.test(url.hostname))) return `${url.hostname} is not a known browser push service.`;
	return null;
}

/** Stores (or moves to this customer) a browser's subscription; a browser re-subscribing keeps one row. */
export async function savePushSubscription(
	db: Db,
	input: { customerId: string; subscription: PushSubscriptionInput; userAgent?: string | null; now: Date }
): Promise<PushSubscriptionRow> {
	const { endpoint, keys } = input.subscription;
	const values = { customerId: input.customerId, p256dh: keys.p256dh, auth: keys.auth, userAgent: input.userAgent?.slice(0, 300) ?? null };
	const [row] = await db
		.insert(pushSubscriptions)
		.values({ id: randomUUID(), endpoint, ...values, createdAt: input.now })
		.onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: values })
		.returning();
	return row!;
}

/** Forgets one browser (the shop's "turn off", or the push service's 404/410). True when it was stored. */
export async function deletePushSubscription(db: Db, endpoint: string): Promise<boolean> {
	const gone = await db.delete(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint)).returning({ id: pushSubscriptions.id });
	return gone.length > 0;
}

/** Every browser of the customer, across merged profiles, newest first. */
export async function pushSubscriptionsOf(db: Db, customerId: string): Promise<PushSubscriptionRow[]> {
	const family = await customerFamily(db, customerId);
	if (family.length === 0) return [];
	return db
		.select()
		.from(pushSubscriptions)
		.where(inArray(pushSubscriptions.customerId, family))
		.orderBy(sql`${pushSubscriptions.createdAt} desc`);
}

export async function markPushSuccess(db: Db, id: string, at: Date): Promise<void> {
	await db.update(pushSubscriptions).set({ lastSuccessAt: at }).where(eq(pushSubscriptions.id, id));
}

/** The message row's `to` for push: how many browsers it goes to (the endpoints are capability URLs, kept off the outbox). */
export function devicesLabel(n: number): string {
	return `${n} browser${n === 1 ? '' : 's'}`;
}
