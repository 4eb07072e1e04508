import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const AttributionQuery = z
	.object({
		/** Conversion days (UTC), inclusive. */
		from: isoDay.optional(),
		to: isoDay.optional(),
		/** Messages sent this many days before a conversion count as its touches. */
		lookbackDays: z.coerce.number().int().min(1).max(365).default(30),
		/** Only conversions of this journey's goal. */
		journey: z.string().trim().min(1).max(200).optional()
	})
	.refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` must not be after `to`', path: ['to'] });
export type AttributionQuery = z.infer<typeof AttributionQuery>;

export interface Credit {
	key: string;
	label: string;
	firstTouch: number;
	lastTouch: number;
	/** Each conversion's credit split evenly over its touches. */
	linear: number;
	firstTouchRevenue: number;
	lastTouchRevenue: number;
	linearRevenue: number;
	/** Conversions this channel or journey touched at all. */
	touched: number;
}

export interface Attribution {
	query: AttributionQuery;
	conversions: number;
	revenue: number;
	/** Conversions no message touched within the lookback. */
	untouched: number;
	byChannel: Credit[];
	byJourney: Credit[];
}

type Touch = { channel: string; journeyId: string | null; journeyName: string | null; at: number };

/**
 * Cross-journey, cross-channel attribution for converting customers: every message sent to them (any journey,
 * test sends excluded) within the lookback before the conversion is a touch; first touch, last touch and
 * linear credit per channel and per journey. One order that met the goal of two journeys counts once.
 */
export async function attribution(db: Db, query: AttributionQuery): Promise<Attribution> {
	const result = await db.execute<{
		conversion: string;
		revenue: string;
		converted_at: string;
		channel: string | null;
		journey_id: string | null;
		journey_name: string | null;
		sent_ms: number | null;
	}>(sql`
		with c as (
			select distinct on (coalesce(event_id, enrollment_id)) coalesce(event_id, enrollment_id) as conversion, customer_id, revenue, converted_at
			from analytics_conversions
			where true
			${query.from ? sql`and converted_at >= ${query.from}::date` : sql``}
			${query.to ? sql`and converted_at < (${query.to}::date + 1)` : sql``}
			${query.journey ? sql`and journey_id = ${query.journey}` : sql``}
			order by coalesce(event_id, enrollment_id), converted_at
		)
		select c.conversion, c.revenue::text, m.channel, m.journey_id, j.name as journey_name, (extract(epoch from m.sent_at) * 1000)::float8 as sent_ms
		from c
		left join messages m on m.customer_id = c.customer_id and m.sent_at is not null and m.sent_at <= c.converted_at
			and m.sent_at > c.converted_at - make_interval(days => ${query.lookbackDays})
			and coalesce(m.meta->>'test', 'false') <> 'true'
		left join journeys j on j.id = m.journey_id
	`);
	const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as {
		conversion: string;
		revenue: string;
		channel: string | null;
		journey_id: string | null;
		journey_name: string | null;
		sent_ms: number | string | null;
	}[];
	const conversions = new Map<string, { revenue: number; touches: Touch[] }>();
	for (const r of rows) {
		const c = conversions.get(r.conversion) ?? { revenue: Number(r.revenue), touches: [] };
		if (r.channel && r.sent_ms !== null) c.touches.push({ channel: r.channel, journeyId: r.journey_id, journeyName: r.journey_name, at: Number(r.sent_ms) });
		conversions.set(r.conversion, c);
	}
	const channels = new Map<string, Credit>();
	const journeysCredit = new Map<string, Credit>();
	const credit = (map: Map<string, Credit>, key: string, label: string) => {
		let c = map.get(key);
		if (!c) map.set(key, (c = { key, label, firstTouch: 0, lastTouch: 0, linear: 0, firstTouchRevenue: 0, lastTouchRevenue: 0, linearRevenue: 0, touched: 0 }));
		return c;
	};
	let untouched = 0;
	let revenue = 0;
	for (const c of conversions.values()) {
		revenue += c.revenue;
		if (c.touches.length === 0) {
			untouched++;
			continue;
		}
		c.touches.sort((a, b) => a.at - b.at);
		for (const [dimension, keyOf, labelOf] of [
			[channels, (t: Touch) => t.channel, (t: Touch) => t.channel],
			[journeysCredit, (t: Touch) => t.journeyId ?? '', (t: Touch) => t.journeyName ?? 'Outside journeys']
		] as const) {
			const first = c.touches[0]!;
			const last = c.touches.at(-1)!;
			const f = credit(dimension, keyOf(first), labelOf(first));
			f.firstTouch++;
			f.firstTouchRevenue += c.revenue;
			const l = credit(dimension, keyOf(last), labelOf(last));
			l.lastTouch++;
			l.lastTouchRevenue += c.revenue;
			const share = 1 / c.touches.length;
			const seen = new Set<string>();
			for (const t of c.touches) {
				const cr = credit(dimension, keyOf(t), labelOf(t));
				cr.linear += share;
				cr.linearRevenue += share * c.revenue;
				if (!seen.has(cr.key)) cr.touched++;
				seen.add(cr.key);
			}
		}
	}
	const sorted = (m: Map<string, Credit>) => [...m.values()].sort((a, b) => b.linear - a.linear || a.key.localeCompare(b.key));
	return {
		query,
		conversions: conversions.size,
		revenue: Math.round(revenue * 100) / 100,
		untouched,
		byChannel: sorted(channels),
		byJourney: sorted(journeysCredit)
	};
}
