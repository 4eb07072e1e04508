import type { Db } from '../../db/client';
import { resolveCustomer } from '../../identity/resolve';
import { inTransaction, lockKeys } from '../../identity/tx';
import { identifierKey, type Identifier } from '../../identity/identifier';
import { normalizeId } from '../../identity/normalize';
import { setConsent } from '../consent';
import { deletePushSubscription, pushEndpointProblem, pushSubscriptionsOf, savePushSubscription, type PushSubscriptionInput } from './subscriptions';

export class PushSubscribeError extends Error {
	constructor(
		readonly code: 'unsupported_endpoint' | 'invalid_visitor',
		message: string
	) {
		super(message);
		this.name = 'PushSubscribeError';
	}
}

/**
 * A browser turned notifications on for someone known by their user and/or anonymous id (Segment's): their profile
 * (found, or created and merged as ingest would, under the same identifier locks), this browser's subscription
 * stored on it, and `push` consent granted — the browser's permission prompt was the question, "Allow" the answer.
 */
export async function subscribeBrowser(
	db: Db,
	input: {
		userId?: string | null;
		anonymousId?: string | null;
		subscription: PushSubscriptionInput;
		userAgent: string | null;
		allowedOrigins: readonly string[];
		source: string;
		now: Date;
	}
): Promise<{ customerId: string; devices: number }> {
	const problem = pushEndpointProblem(input.subscription.endpoint, input.allowedOrigins);
	if (problem) throw new PushSubscribeError('unsupported_endpoint', problem);
	const identifiers: Identifier[] = [];
	const userId = normalizeId(input.userId);
	const anonymousId = normalizeId(input.anonymousId);
	if (userId) identifiers.push({ kind: 'userId', value: userId });
	if (anonymousId) identifiers.push({ kind: 'anonymousId', value: anonymousId });
	if (identifiers.length === 0) throw new PushSubscribeError('invalid_visitor', 'Say whose browser this is: a userId or an anonymousId.');
	const customerId = await inTransaction(db, async (tx) => {
		await lockKeys(tx, identifiers.map(identifierKey));
		return (await resolveCustomer(tx, identifiers, { at: input.now })).customer.id;
	});
	await savePushSubscription(db, { customerId, subscription: input.subscription, userAgent: input.userAgent, now: input.now });
	await setConsent(db, customerId, 'push', true, input.source, input.now);
	return { customerId, devices: (await pushSubscriptionsOf(db, customerId)).length };
}

/**
 * The visitor turned notifications off in this browser: the subscription goes. With no browser left, `push`
 * consent becomes "no" (they said so where they had said yes); other browsers keep theirs.
 */
export async function unsubscribeBrowser(
	db: Db,
	input: { customerId: string | null; endpoint: string; now: Date }
): Promise<{ removed: boolean; devices: number }> {
	// Only the visitor's own browsers: an endpoint is a capability, but not one to wield for someone else.
	if (!input.customerId) return { removed: false, devices: 0 };
	const owned = (await pushSubscriptionsOf(db, input.customerId)).some((s) => s.endpoint === input.endpoint);
	const removed = owned && (await deletePushSubscription(db, input.endpoint));
	const devices = (await pushSubscriptionsOf(db, input.customerId)).length;
	if (removed && devices === 0) await setConsent(db, input.customerId, 'push', false, 'shop_opt_out', input.now);
	return { removed, devices };
}
