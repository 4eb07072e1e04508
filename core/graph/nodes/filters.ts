import { z } from 'zod';
import { EventName, PropertyPath, Scalar } from './common';

/**
 * Builds the property-filter union, optionally with extra fields (a condition adds its `kind`).
 * One builder keeps event filters, trait conditions and entry-property conditions identical.
 *
 * Ops: `eq`/`neq` (a number also equals its decimal string), `contains` (case-insensitive
 * substring, or array element), `lt`/`gt` (numbers, or ISO dates), `exists` (`value: false` means
 * "is missing"), `in` (one of a list).
 */
export function filterUnion<S extends z.ZodRawShape>(extra: S) {
	const path = PropertyPath;
	return z.discriminatedUnion('op', [
		z.object({ ...extra, path, op: z.enum(['eq', 'neq']), value: Scalar }),
		z.object({ ...extra, path, op: z.literal('contains'), value: z.union([z.string(), z.number(), z.boolean()]) }),
		z.object({ ...extra, path, op: z.enum(['lt', 'gt']), value: z.union([z.number(), z.string()]) }),
		z.object({ ...extra, path, op: z.literal('exists'), value: z.boolean().optional() }),
		z.object({ ...extra, path, op: z.literal('in'), value: z.array(Scalar).min(1) })
	]);
}

export const PropertyFilter = filterUnion({});
export type PropertyFilter = z.infer<typeof PropertyFilter>;
export type FilterOp = PropertyFilter['op'];
export const FILTER_OPS = ['eq', 'neq', 'contains', 'lt', 'gt', 'exists', 'in'] as const satisfies readonly FilterOp[];

/** "This event, with these properties" — used by exit criteria, goals and event conditions. */
export const EventMatcher = z.object({
	event: EventName,
	filters: z.array(PropertyFilter).optional()
});
export type EventMatcher = z.infer<typeof EventMatcher>;
