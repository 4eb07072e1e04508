import { randomUUID } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import { survivorOf } from '$core/identity/index';
import { normalizeCode } from '$core/offers/index';
import { database } from '$lib/server/context';
import { cartOfVisitor, saveVisitorCart } from './cart.server';

/**
 * Who is browsing the shop. `anonymousId` is the visitor's id as the shop's tracking sends it (Segment's
 * anonymousId, kept in a first-party cookie). `ref` is the `oc_cid` an ad or message link carried: the person
 * Omnicanal addressed, by their anonymous id or by our customer id.
 */
export type Visitor = { anonymousId: string; ref: string | null };

const ANON_COOKIE = 'oc_anon';
const REF_COOKIE = 'oc_ref';
const ID = /^[A-Za-z0-9._:@-]{1,200}$/;
const clean = (v: string | null | undefined) => (v && ID.test(v) ? v : null);

type ShopEvent = { request: Request; url: URL; cookies: Cookies };

/**
 * A landing link (`/shop?oc_cid=…&offer=…&fbclid=…`) is read here:
 * - `oc_cid` that is an anonymous id becomes this browser's anonymous id, as Segment's `ajs_aid` query parameter
 *   does: the person who clicked the ad on one device continues as the same visitor on this one. A customer id is
 *   kept as a reference instead (it is our key, not a tracking id) and used to find their offers.
 * - `offer` puts that promotion code in the cart, as a typed code would be.
 * - click ids (`fbclid`, `gclid`) need nothing here: they travel in the page event's URL, and ingest records them
 *   as identities, which joins this visitor to whoever clicked the ad.
 */
async function open(e: ShopEvent): Promise<Visitor> {
	const { url, cookies } = e;
	const cookie = { path: '/shop', httpOnly: true, sameSite: 'lax' as const, secure: url.protocol === 'https:' };
	const cid = clean(url.searchParams.get('oc_cid'));
	const stored = clean(cookies.get(ANON_COOKIE));
	let anonymousId = stored;
	if (cid) {
		cookies.set(REF_COOKIE, cid, { ...cookie, maxAge: 30 * 24 * 3600 });
		const isCustomerId = (await survivorOf((await database()).db, cid)) !== null;
		if (!isCustomerId) anonymousId = cid;
	}
	anonymousId ??= randomUUID();
	if (anonymousId !== stored) cookies.set(ANON_COOKIE, anonymousId, { ...cookie, maxAge: 365 * 24 * 3600 });
	const visitor = { anonymousId, ref: cid ?? clean(cookies.get(REF_COOKIE)) };
	const code = normalizeCode(url.searchParams.get('offer') ?? '');
	if (code && code.length <= 100) {
		const cart = await cartOfVisitor(visitor);
		if (code !== cart.code) await saveVisitorCart(visitor, { ...cart, code });
	}
	return visitor;
}

/**
 * Layout and page loads of one request run concurrently: they share one visitor, so one anonymous id. The cart
 * is not memoized: read it with `readCart` after this resolves.
 */
const visitors = new WeakMap<Request, Promise<Visitor>>();

export function shopVisitor(e: ShopEvent): Promise<Visitor> {
	let visitor = visitors.get(e.request);
	if (!visitor) {
		visitor = open(e);
		visitors.set(e.request, visitor);
	}
	return visitor;
}
