import { z } from 'zod';

export const CHANNELS = ['email', 'sms', 'whatsapp', 'push', 'ads', 'webhook', 'store'] as const;

const isoDay = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
	.refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'not a real date');

/**
 * How every analytics figure can be sliced. The date range is the day customers ENTERED the journey (UTC),
 * inclusive at both ends, so a cohort's later conversions still count for it.
 */
export const AnalyticsFilters = z
	.object({
		/** One published version, or `all` of them. */
		version: z.union([z.literal('all'), z.coerce.number().int().positive()]).default('all'),
		/** An A/B variant id, or `holdout`. */
		variant: z.string().trim().min(1).max(200).optional(),
		channel: z.enum(CHANNELS).optional(),
		from: isoDay.optional(),
		to: isoDay.optional(),
		/** A path funnel: step ids in order, comma-separated in a query string. */
		steps: z
			.preprocess(
				(v) =>
					typeof v === 'string'
						? v
								.split(',')
								.map((x) => x.trim())
								.filter(Boolean)
						: v,
				z.array(z.string().min(1).max(200)).max(12)
			)
			.optional()
	})
	.refine((f) => !f.from || !f.to || f.from <= f.to, { message: '`from` must not be after `to`', path: ['to'] });
export type AnalyticsFilters = z.infer<typeof AnalyticsFilters>;

/** Reads filters from URL search params (empty values mean "not set"). */
export function filtersFromParams(params: URLSearchParams): ReturnType<typeof AnalyticsFilters.safeParse> {
	const raw: Record<string, string> = {};
	for (const key of ['version', 'variant', 'channel', 'from', 'to', 'steps']) {
		// Steps may come as one comma-separated value or as repeated fields of a form.
		const value =
			key === 'steps'
				? params
						.getAll(key)
						.filter((v) => v.trim() !== '')
						.join(',')
				: params.get(key);
		if (value !== null && value.trim() !== '') raw[key] = value;
	}
	return AnalyticsFilters.safeParse(raw);
}

/** The node types that send on a channel. */
export const CHANNEL_OF_NODE: Readonly<Record<string, (typeof CHANNELS)[number]>> = {
	sendEmail: 'email',
	sendSms: 'sms',
	sendWhatsApp: 'whatsapp',
	sendPush: 'push',
	adAudience: 'ads',
	webhook: 'webhook',
	storeTask: 'store'
};
