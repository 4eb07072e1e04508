import { bigint, date, foreignKey, index, integer, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { messages } from './messages';

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

/**
 * Channel engagement per (journey, version, variant, entry day, node, channel, stage): messages that reached the
 * stage (sent, delivered, opened, clicked, bounced, complained, unsubscribed, failed), each counted once.
 * Maintained by database triggers on messages, message_events and enrollments (migrations 0009 and 0019), so every writer
 * (send, status updates, webhooks, imports) keeps it exact; `variant` moves with the enrollment's like the step rollups.
 */
export const analyticsEngagementDaily = pgTable(
	'analytics_engagement_daily',
	{
		journeyId: text('journey_id').notNull(),
		version: integer('version').notNull(),
		variant: text('variant').notNull().default(''),
		day: date('day', { mode: 'string' }).notNull(),
		nodeId: text('node_id').notNull(),
		channel: text('channel').notNull(),
		stage: text('stage').notNull(),
		messages: bigint('messages', { mode: 'number' }).notNull().default(0)
	},
	(t) => [primaryKey({ name: 'analytics_engagement_daily_pk', columns: [t.journeyId, t.version, t.variant, t.day, t.nodeId, t.channel, t.stage] })]
);

/**
 * The stages each counted message has reached, as bits (sent = 1, delivered = 2, opened = 4, clicked = 8,
 * bounced = 16, complained = 32, unsubscribed = 64, failed = 128): a status or event repeated later adds nothing.
 */
export const analyticsMessageReached = pgTable(
	'analytics_message_reached',
	{
		messageId: text('message_id').primaryKey(),
		enrollmentId: text('enrollment_id').notNull(),
		journeyId: text('journey_id').notNull(),
		nodeId: text('node_id').notNull(),
		channel: text('channel').notNull(),
		stages: integer('stages').notNull().default(0)
	},
	(t) => [
		index('analytics_message_reached_enrollment_idx').on(t.enrollmentId),
		index('analytics_message_reached_journey_idx').on(t.journeyId),
		foreignKey({ name: 'analytics_message_reached_message_fk', columns: [t.messageId], foreignColumns: [messages.id] }).onDelete('cascade')
	]
);

export type AnalyticsStepDailyRow = typeof analyticsStepDaily.$inferSelect;
