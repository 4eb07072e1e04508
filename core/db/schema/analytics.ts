import { bigint, date, index, integer, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Analytics rollups, maintained in the same transaction as the step log they summarise (core/analytics/rollup.ts,
 * called by the worker's recordProgress), so they are exact and the canvas never scans the step log.
 *
 * One row per (journey, version, variant, entry day, node, metric, key). `day` is the UTC day the enrollment
 * ENTERED the journey, so an entry date range is a range of rows; `variant` is the enrollment's A/B variant
 * ('' before or without a split: its rows move to the variant when the split assigns one).
 *
 * Metrics (key in brackets): entered; left [branch, '' = the single output]; skipped [reason]; failed; held;
 * here (signed: enrollments active at the node now); ended [final status] at the node it ended on;
 * converted (conversion recorded at the node, `amount` = revenue); reached_converted (conversions of
 * enrollments that passed the node); dwell [log-bucket of the time from entering to leaving].
 * `visits` counts step rows, `customers` only first visits (one per enrollment).
 */
export const analyticsStepDaily = pgTable(
	'analytics_step_daily',
	{
		journeyId: text('journey_id').notNull(),
		version: integer('version').notNull(),
		variant: text('variant').notNull().default(''),
		day: date('day', { mode: 'string' }).notNull(),
		nodeId: text('node_id').notNull(),
		metric: text('metric').notNull(),
		key: text('key').notNull().default(''),
		visits: bigint('visits', { mode: 'number' }).notNull().default(0),
		customers: bigint('customers', { mode: 'number' }).notNull().default(0),
		amount: numeric('amount', { precision: 18, scale: 2 }).notNull().default('0')
	},
	(t) => [primaryKey({ name: 'analytics_step_daily_pk', columns: [t.journeyId, t.version, t.variant, t.day, t.nodeId, t.metric, t.key] })]
);

/** One row per converted enrollment: revenue, A/B outcome and cross-journey attribution read this, not the step log. */
export const analyticsConversions = pgTable(
	'analytics_conversions',
	{
		enrollmentId: text('enrollment_id').primaryKey(),
		journeyId: text('journey_id').notNull(),
		version: integer('version').notNull(),
		variant: text('variant').notNull().default(''),
		customerId: text('customer_id').notNull(),
		nodeId: text('node_id').notNull(),
		eventId: text('event_id'),
		eventName: text('event_name'),
		/** The converting order's total (`properties.total`, else `revenue`); 0 for a non-order goal. */
		revenue: numeric('revenue', { precision: 14, scale: 2 }).notNull().default('0'),
		enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
		convertedAt: timestamp('converted_at', { withTimezone: true }).notNull()
	},
	(t) => [index('analytics_conversions_journey_idx').on(t.journeyId, t.convertedAt), index('analytics_conversions_at_idx').on(t.convertedAt)]
);

/** The path each ended enrollment took (node ids in order), counted per entry day: top paths and path funnels. */
export const analyticsPaths = pgTable(
	'analytics_paths',
	{
		journeyId: text('journey_id').notNull(),
		version: integer('version').notNull(),
		variant: text('variant').notNull().default(''),
		day: date('day', { mode: 'string' }).notNull(),
		path: text('path').notNull(),
		customers: bigint('customers', { mode: 'number' }).notNull().default(0),
		converted: bigint('converted', { mode: 'number' }).notNull().default(0)
	},
	(t) => [primaryKey({ name: 'analytics_paths_pk', columns: [t.journeyId, t.version, t.variant, t.day, t.path] })]
);

export type AnalyticsStepDailyRow = typeof analyticsStepDaily.$inferSelect;
