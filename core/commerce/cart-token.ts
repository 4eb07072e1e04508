import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { carts, type CartRow } from '../db/schema/orders';
import { CODE_ALPHABET } from '../offers/codes';

/**
 * Handing a phone's cart to the till. The cart page shows a QR code of a signed, short-lived token and, for a till
 * without a camera, a short code to type. The token is HMAC-SHA256 with APP_SECRET under its own label (so no other
 * signature made with that secret can pass for one); it names the cart and the code it was issued with, so
 * issuing a new code retires the old QR code too. Nothing here trusts the phone: the till reads the cart itself.
 */

export const HANDOFF_TTL_MS = 15 * 60_000;
/** A code with less than this left is replaced, so a customer never walks to the till with one about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;
const CODE_LENGTH = 6;
const LABEL = 'omnicanal:cart-handoff:v1:';
const PREFIX = 'occart1';

export type CartTokenClaim = { cartId: string; code: string; expiresAt: number };
export type TokenProblem = 'malformed' | 'forged' | 'expired';

function mac(secret: string, payload: string): Buffer {
	return createHmac('sha256', secret)
		.update(LABEL + payload)
		.digest();
}

/** `occart1.<payload>.<signature>`, all URL-safe: it is what the QR code encodes. */
export function signCartToken(secret: string, claim: CartTokenClaim): string {
	const payload = Buffer.from(JSON.stringify({ c: claim.cartId, k: claim.code, e: claim.expiresAt })).toString('base64url');
	return `${PREFIX}.${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The claim, or why not: not a token at all, a signature that does not match, or past its expiry. */
export function verifyCartToken(secret: string, token: string, now: number): { ok: true; claim: CartTokenClaim } | { ok: false; problem: TokenProblem } {
	const [prefix, payload, sig, extra] = token.trim().split('.');
	if (prefix !== PREFIX || !payload || !sig || extra !== undefined) return { ok: false, problem: 'malformed' };
	const expected = mac(secret, payload);
	const given = Buffer.from(sig, 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'forged' };
	let raw: { c?: unknown; k?: unknown; e?: unknown };
	try {
		raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof raw;
	} catch {
		return { ok: false, problem: 'malformed' };
	}
	if (typeof raw.c !== 'string' || typeof raw.k !== 'string' || typeof raw.e !== 'number') return { ok: false, problem: 'malformed' };
	if (raw.e <= now) return { ok: false, problem: 'expired' };
	return { ok: true, claim: { cartId: raw.c, code: raw.k, expiresAt: raw.e } };
}

/** Whether what the till read is a token (else it is a typed code). */
export function looksLikeCartToken(input: string): boolean {
	return input.trim().startsWith(`${PREFIX}.`);
}

/** Six symbols of the offers' alphabet (no look-alikes): 30⁶ ≈ 7·10⁸, and a code lives 15 minutes. */
function newCode(): string {
	let code = '';
	for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
	return code;
}

/** `ABC123` → `ABC 123` for reading aloud and typing; the till accepts either. */
export function formatHandoffCode(code: string): string {
	return `${code.slice(0, 3)} ${code.slice(3)}`;
}

export function normalizeHandoffCode(input: string): string {
	return input.toUpperCase().replace(/[\s-]+/g, '');
}

export type Handoff = { code: string; expiresAt: Date; token: string };

/**
 * The cart's current handoff: its code while it has more than a few minutes left, else a new one (the old code and
 * its QR code stop working). Only an open cart gets one.
 */
export async function issueHandoff(db: Db, secret: string, cartId: string, now = new Date()): Promise<Handoff | null> {
	for (let attempt = 0; attempt < 5; attempt++) {
		const [cart] = await db.select().from(carts).where(eq(carts.id, cartId));
		if (!cart || cart.status !== 'open') return null;
		let code = cart.handoffCode;
		let expiresAt = cart.handoffExpiresAt;
		if (!code || !expiresAt || expiresAt.getTime() - now.getTime() < RENEW_BEFORE_MS) {
			code = newCode();
			expiresAt = new Date(now.getTime() + HANDOFF_TTL_MS);
			try {
				const [row] = await db
					.update(carts)
					.set({ handoffCode: code, handoffExpiresAt: expiresAt })
					.where(and(eq(carts.id, cartId), eq(carts.status, 'open')))
					.returning({ id: carts.id });
				if (!row) return null;
			} catch (err) {
				if (attempt < 4) continue; // another cart holds this code: draw again
				throw err;
			}
		}
		return { code, expiresAt, token: signCartToken(secret, { cartId, code, expiresAt: expiresAt.getTime() }) };
	}
	return null;
}

export type HandoffProblem = TokenProblem | 'unknown' | 'used';
export type HandoffLookup = { ok: true; cart: CartRow } | { ok: false; problem: HandoffProblem; cart?: CartRow };

/** What the associate is told when a scan or a typed code does not open a cart. */
export const handoffMessages: Record<HandoffProblem, string> = {
	malformed: 'This is not a cart code. Scan the QR code on the customer’s cart page, or type the 6-character code under it.',
	forged: 'This QR code was not issued by us: ask the customer to reload their cart page and scan again.',
	expired: 'This code has expired (codes last 15 minutes). Ask the customer to reload their cart page for a new one.',
	unknown: 'No cart has this code. Check it with the customer, or ask them to reload their cart page.',
	used: 'This cart has already been checked out.'
};

/**
 * The open cart a scanned token or typed code names. A token must verify and still be the cart's current code; a
 * typed code must be unexpired. A cart already sold or ordered answers `used`, with the cart (its order id).
 */
export async function findHandoff(db: Db, secret: string, input: string, now = new Date()): Promise<HandoffLookup> {
	let cart: CartRow | undefined;
	if (looksLikeCartToken(input)) {
		const verified = verifyCartToken(secret, input, now.getTime());
		if (!verified.ok) return { ok: false, problem: verified.problem };
		[cart] = await db.select().from(carts).where(eq(carts.id, verified.claim.cartId));
		if (!cart) return { ok: false, problem: 'unknown' };
		if (cart.status !== 'open') return { ok: false, problem: 'used', cart };
		if (cart.handoffCode !== verified.claim.code) return { ok: false, problem: 'expired' };
		return { ok: true, cart };
	}
	const code = normalizeHandoffCode(input);
	if (code.length !== CODE_LENGTH) return { ok: false, problem: code.length ? 'unknown' : 'malformed' };
	[cart] = await db.select().from(carts).where(eq(carts.handoffCode, code));
	if (!cart) return { ok: false, problem: 'unknown' };
	if (cart.status !== 'open') return { ok: false, problem: 'used', cart };
	const [live] = await db
		.select()
		.from(carts)
		.where(and(eq(carts.id, cart.id), gt(carts.handoffExpiresAt, now)));
	return live ? { ok: true, cart: live } : { ok: false, problem: 'expired' };
}
