import type { Cookies } from '@sveltejs/kit';
import { ingestMessages, type IngestResult } from '$core/ingest/index';
import { database } from '$lib/server/context';
import { notifyRouter } from '$lib/server/routing';
import type { Visitor } from './session.server';

/*
 * The shop's tracking, server side: Segment messages handed to ingest's own function (what POST /api/v1/batch
 * runs after checking the write key), then to the router — as a shop backend using a server-side Segment
 * library would. Same validation, identity resolution and durability as the HTTP API, without the shop's server
 * calling itself over HTTP or needing a write key the embedded demo would have to share with it.
 */

export type ShopEvent =
	| { type: 'page'; name: string; properties?: Record<string, unknown> }
	| { type: 'track'; event: string; properties?: Record<string, unknown>; messageId?: string }
	| { type: 'identify'; traits: Record<string, unknown> };

type RequestLike = { request: Request; url: URL; cookies: Cookies; getClientAddress(): string };

const CAMPAIGN_PARAMS: Record<string, string> = {
	utm_source: 'source',
	utm_medium: 'medium',
	utm_campaign: 'name',
	utm_term: 'term',
	utm_content: 'content',
	fbclid: 'fbclid',
	gclid: 'gclid'
};

/** Segment's `context` as analytics.js fills it: the page, the campaign of a landing URL, the browser. */
function contextOf(e: RequestLike, traits?: Record<string, unknown>): Record<string, unknown> {
	const campaign: Record<string, string> = {};
	for (const [param, key] of Object.entries(CAMPAIGN_PARAMS)) {
		const value = e.url.searchParams.get(param);
		if (value) campaign[key] = value.slice(0, 1000);
	}
	let ip: string | undefined;
	try {
		ip = e.getClientAddress();
	} catch {
		/* behind a proxy without the header configured: no ip */
	}
	const locale = e.request.headers.get('accept-language')?.split(',')[0]?.trim();
	return {
		page: { url: e.url.href, path: e.url.pathname, search: e.url.search, referrer: e.request.headers.get('referer') ?? '' },
		userAgent: e.request.headers.get('user-agent') ?? undefined,
		...(locale ? { locale } : {}),
		...(ip ? { ip } : {}),
		...(Object.keys(campaign).length ? { campaign } : {}),
		...(traits ? { traits } : {}),
		library: { name: 'omnicanal-demo-shop', version: '1' }
	};
}

/** Stores the events (durable when this returns) and routes them to journeys. Throws if the database fails. */
export async function sendShopEvents(e: RequestLike, visitor: Visitor, events: ShopEvent[], traits?: Record<string, unknown>): Promise<IngestResult> {
	const context = contextOf(e, traits);
	const timestamp = new Date().toISOString();
	const messages = events.map((ev) => ({ ...ev, anonymousId: visitor.anonymousId, timestamp, context }));
	const result = await ingestMessages((await database()).db, messages);
	notifyRouter(result.eventIds);
	return result;
}

/** Browsing events: a lost page view must never break the page, so failures are logged and dropped. */
export async function trackView(e: RequestLike, visitor: Visitor, events: ShopEvent[]): Promise<void> {
	try {
		await sendShopEvents(e, visitor, events);
	} catch (err) {
		console.error('shop tracking failed:', err instanceof Error ? err.message : err);
	}
}
