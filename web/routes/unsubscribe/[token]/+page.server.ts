import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { applyUnsubscribe } from '$core/channels/opt-out';
import { channelSettings } from '$core/channels/providers';
import { readUnsubscribeToken, type UnsubscribeClaim } from '$core/channels/unsubscribe';
import { messages } from '$core/db/schema/messages';
import { appEnv, database } from '$lib/server/context';
import type { Actions, PageServerLoad } from './$types';

function claimFor(token: string): UnsubscribeClaim {
	const claim = readUnsubscribeToken(channelSettings(appEnv()).appSecret, token);
	if (!claim) error(404, 'This unsubscribe link is not valid.');
	return claim;
}

/** `a•••@example.com`: enough for people to recognize their address, not enough to leak it. */
function mask(address: string | null): string | null {
	if (!address) return null;
	const at = address.indexOf('@');
	return at > 0 ? `${address[0]}•••${address.slice(at)}` : `•••${address.slice(-4)}`;
}

/** Opening the link only asks: mail scanners fetch links, and a GET must not unsubscribe anyone. */
export const load = (async ({ params }) => {
	const claim = claimFor(params.token);
	const { db } = await database();
	const [message] = claim.messageId ? await db.select({ to: messages.to }).from(messages).where(eq(messages.id, claim.messageId)) : [];
	return { channel: claim.channel, address: mask(message?.to ?? null) };
}) satisfies PageServerLoad;

/**
 * The button, and RFC 8058 one-click from mail clients (POST `List-Unsubscribe=One-Click` to this URL)
 * both land here. Idempotent.
 */
export const actions = {
	default: async ({ params }) => {
		const claim = claimFor(params.token);
		const { address } = await applyUnsubscribe((await database()).db, claim, new Date());
		return { done: true, address: mask(address) };
	}
} satisfies Actions;
