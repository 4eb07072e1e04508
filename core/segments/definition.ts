import { z } from 'zod';

/** Dotted path into traits or event properties (`address.city`, `items.0.sku`). */
const Path = z.string().trim().min(1).max(200);
const Scalar = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof Scalar>;

/**
 * The same operators, with the same meaning, as journey filters (core/graph/nodes/filters.ts): `eq`/`neq`
 * (a number equals its decimal string; a missing value is "not equal"), `contains` (case-insensitive substring
 * or array element), `lt`/`gt` (numbers only here), `exists` (`value: false` = missing), `in` (one of a list).
 */
export const Filter = z.discriminatedUnion('op', [
	z.object({ path: Path, op: z.enum(['eq', 'neq']), value: Scalar }),
	z.object({ path: Path, op: z.literal('contains'), value: z.union([z.string().min(1).max(1000), z.number().finite(), z.boolean()]) }),
	z.object({ path: Path, op: z.enum(['lt', 'gt']), value: z.number().finite() }),
	z.object({ path: Path, op: z.literal('exists'), value: z.boolean().optional() }),
	z.object({ path: Path, op: z.literal('in'), value: z.array(Scalar).min(1).max(100) })
]);
export type Filter = z.infer<typeof Filter>;

export const Within = z.object({ amount: z.number().int().positive().max(5000), unit: z.enum(['minutes', 'hours', 'days', 'weeks']) });
export type Within = z.infer<typeof Within>;

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 } as const;
export const withinMs = (w: Within): number => w.amount * UNIT_MS[w.unit];

export const Condition = z.discriminatedUnion('kind', [
	/** A trait of the profile. */
	z.object({ kind: z.literal('trait'), filter: Filter }),
	/**
	 * The customer did (or, with `occurred: false`, did not do) an event, at least `minCount` times, in the
	 * last `within` (else ever), with properties matching every filter.
	 */
	z.object({
		kind: z.literal('event'),
		event: z.string().trim().min(1).max(256),
		occurred: z.boolean().default(true),
		minCount: z.number().int().min(1).max(1000).default(1),
		within: Within.optional(),
		filters: z.array(Filter).max(20).default([])
	}),
	z.object({ kind: z.literal('consent'), channel: z.enum(['email', 'sms', 'whatsapp', 'push', 'ads']), granted: z.boolean() }),
	/** Counters kept on the profile from `order_completed`. */
	z.object({
		kind: z.literal('orders'),
		metric: z.enum(['count', 'lifetimeValue']),
		op: z.enum(['gt', 'gte', 'lt', 'lte', 'eq']),
		value: z.number().finite().min(0).max(1e12)
	})
]);
export type Condition = z.infer<typeof Condition>;

/**
 * A segment: every (`all`) or some (`any`) condition holds. "Viewed product X in the last 7 days and has no
 * order" is `{ match: 'all', conditions: [{ kind: 'event', event: 'product_viewed', within: { amount: 7, unit:
 * 'days' }, filters: [{ path: 'product_id', op: 'eq', value: 'X' }] }, { kind: 'event', event:
 * 'order_completed', occurred: false }] }`.
 */
export const SegmentDefinition = z.object({
	match: z.enum(['all', 'any']).default('all'),
	conditions: z.array(Condition).min(1).max(20)
});
export type SegmentDefinition = z.infer<typeof SegmentDefinition>;
export type SegmentDefinitionInput = z.input<typeof SegmentDefinition>;
