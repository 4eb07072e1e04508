import type { Principal } from '$core/auth/index';
import { AttributionQuery, attribution, type Attribution } from '$core/analytics/attribution';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { parseQuery } from '$lib/server/journeys-api';

/** Permission, query validation (400), then the attribution figures handed to `respond`. */
export async function attributionApi(principal: Principal | null, url: URL, respond: (a: Attribution) => Response): Promise<Response> {
	const denied = denyApi(principal, 'analytics:read');
	if (denied) return denied;
	const query = parseQuery(url, AttributionQuery);
	if (!query.ok) return query.response;
	return respond(await attribution((await database()).db, query.data));
}

/** The CSV rows: one per channel, then one per journey, with first/last/linear credit and revenue. */
export function attributionRows(a: Attribution): (string | number)[][] {
	const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
	return (['channel', 'journey'] as const).flatMap((dimension) =>
		(dimension === 'channel' ? a.byChannel : a.byJourney).map((c) => [
			dimension,
			c.key,
			c.label,
			c.touched,
			c.firstTouch,
			c.lastTouch,
			round(c.linear),
			round(c.firstTouchRevenue, 2),
			round(c.lastTouchRevenue, 2),
			round(c.linearRevenue, 2)
		])
	);
}

export const ATTRIBUTION_HEADER = [
	'dimension',
	'key',
	'label',
	'conversions_touched',
	'first_touch',
	'last_touch',
	'linear',
	'first_touch_revenue',
	'last_touch_revenue',
	'linear_revenue'
];
