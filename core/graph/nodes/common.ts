import { z } from 'zod';
import { isValidTimeZone } from '../zone';

/** Blank text is always a mistake (an SMS with no text, an event with no name), so reject it. */
export const Text = z.string().refine((s) => s.trim().length > 0, { message: 'must not be blank' });

/** Node, edge, branch and variant ids: short, non-blank, no surrounding spaces (they key maps). */
export const Id = z
	.string()
	.min(1)
	.max(200)
	.refine((s) => s.trim() === s && s.length > 0, { message: 'must not start or end with spaces' });

/** A dotted property path such as `address.city` or `items.0.sku`. */
export const PropertyPath = Text;

/** Event names are matched exactly, as sent by the tracking library (`order_completed`). */
export const EventName = Text;

export const DurationUnit = z.enum(['minutes', 'hours', 'days', 'weeks']);
export type DurationUnit = z.infer<typeof DurationUnit>;

/** Whole units only: "1.5 days" is not something a marketer types; 36 hours is. */
export const Duration = z.object({ amount: z.number().int().positive(), unit: DurationUnit });
export type Duration = z.infer<typeof Duration>;

/** Wall-clock time of day, 24-hour `HH:mm`. */
export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm');
export type TimeOfDay = z.infer<typeof TimeOfDay>;

/** An IANA zone name (`Europe/Paris`) that this runtime's Intl knows. */
export const TimeZone = z.string().refine(isValidTimeZone, { message: 'unknown time zone' });

/** 0 = Sunday … 6 = Saturday (JavaScript's `getDay()`), or a three-letter English name. */
export const Weekday = z.union([z.number().int().min(0).max(6), z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])]);
export type Weekday = z.infer<typeof Weekday>;

/** ISO 8601 with an explicit offset or `Z`, so the instant never depends on the server's zone. */
export const IsoDateTime = z.iso.datetime({ offset: true });

export const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof Scalar>;

/** Fields every node has; spread into each node kind's object. */
export const nodeBase = {
	id: Id,
	label: z.string().max(200).optional()
};

/**
 * A custom zod issue whose `params.code` is the problem code `validateJourney` reports; a
 * `message` of `missing` makes it say "has no <field>", any other message is appended to the
 * step's name ("The offer step “X” gives more than 100% off.").
 */
export function issue(path: PropertyKey[], message: string, code: string) {
	return { code: 'custom' as const, path, message, params: { code } };
}

/** Reports ids that occur twice, as custom issues carrying a stable problem code. */
export function checkUniqueIds(items: readonly { id: string }[], key: string, reserved: string, ctx: z.RefinementCtx): void {
	const seen = new Set<string>();
	items.forEach((item, i) => {
		if (item.id === reserved) {
			ctx.addIssue(issue([key, i, 'id'], `uses the reserved output name “${reserved}”; rename it.`, 'reserved_branch_id'));
		} else if (seen.has(item.id)) {
			ctx.addIssue(issue([key, i, 'id'], `has two outputs named “${item.id}”; each needs its own name.`, 'duplicate_branch_id'));
		}
		seen.add(item.id);
	});
}
