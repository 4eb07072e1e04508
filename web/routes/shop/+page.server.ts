import { shopVisitor } from './session.server';
import { trackView } from './tracking.server';
import type { PageServerLoad } from './$types';

/** The shop's home, and where ad links land: the page view carries the landing URL (campaign, click ids). */
export const load = (async (event) => {
	const visitor = await shopVisitor(event);
	await trackView(event, visitor, [{ type: 'page', name: 'Home', properties: { path: event.url.pathname, url: event.url.href, title: 'Home' } }]);
	return {};
}) satisfies PageServerLoad;
