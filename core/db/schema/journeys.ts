import { bigserial, foreignKey, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { EnrollmentStatus, StepKind } from '../../enrollment/contract';
import { customers } from './customers';

export type { EnrollmentStatus, StepKind };

export type JourneyStatus = 'draft' | 'active' | 'paused' | 'stopped';

/** A journey: its editable draft plus the status of its published versions. */
export const journeys = pgTable('journeys', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	description: text('description').notNull().default(''),
	status: text('status').$type<JourneyStatus>().notNull().default('draft'),
	/** The draft graph (JSON, validated on read by core/graph). */
	draft: jsonb('draft').$type<unknown>().notNull(),
	/** Where the draft's nodes sit on the canvas and the saved viewport: editor layout, not behaviour (core/graph/layout). */
	layout: jsonb('layout').$type<unknown>().notNull().default({ nodes: {} }),
	/** Bumped by every save of the draft or its layout, so two editors of one draft cannot silently overwrite each other. */
	revision: integer('revision').notNull().default(0),
	/** The version new customers enter; null until first published. */
	liveVersion: integer('live_version'),
	/** Set when archived: hidden from the list by default, never published or entered again until unarchived. */
	archivedAt: timestamp('archived_at', { withTimezone: true }),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** An immutable snapshot of a published graph; enrollments stay pinned to the one they entered. */
export const journeyVersions = pgTable(
	'journey_versions',
	{
		journeyId: text('journey_id').notNull(),
		version: integer('version').notNull(),
		definition: jsonb('definition').$type<unknown>().notNull(),
		/** The layout it was published with, so its read-only canvas looks as drawn; never compared at publish. */
		layout: jsonb('layout').$type<unknown>().notNull().default({ nodes: {} }),
		publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
		publishedBy: text('published_by')
	},
	(t) => [
		uniqueIndex('journey_versions_uq').on(t.journeyId, t.version),
		// A version is part of its journey; deleting a journey that enrolled anyone is refused by enrollments below.
		foreignKey({ name: 'journey_versions_journey_id_journeys_id_fk', columns: [t.journeyId], foreignColumns: [journeys.id] }).onDelete('cascade')
	]
);

/** One customer's pass through one journey: id is the workflow id `journey:<journeyId>:<customerId>:<n>`. */
export const enrollments = pgTable(
	'enrollments',
	{
		id: text('id').primaryKey(),
		journeyId: text('journey_id').notNull(),
		version: integer('version').notNull(),
		customerId: text('customer_id').notNull(),
		n: integer('n').notNull(),
		status: text('status').$type<EnrollmentStatus>().notNull().default('active'),
		currentNodeId: text('current_node_id'),
		/**
		 * What this enrollment listens for now (event names of its wait-for-event step, exit criteria and goal, and
		 * the property paths they read): routing signals only those events, with only those properties.
		 */
		interests: jsonb('interests').$type<{ events: string[]; propertyPaths: string[] }>().notNull().default({ events: [], propertyPaths: [] }),
		entryEventId: text('entry_event_id'),
		variant: text('variant'),
		enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
		endedAt: timestamp('ended_at', { withTimezone: true }),
		exitReason: text('exit_reason')
	},
	(t) => [
		uniqueIndex('enrollments_journey_customer_n_uq').on(t.journeyId, t.customerId, t.n),
		index('enrollments_customer_status_idx').on(t.customerId, t.status),
		index('enrollments_journey_status_idx').on(t.journeyId, t.status),
		// An enrollment is the history of a journey and of a person: neither may be deleted from under it (stop a
		// journey instead; customers are never deleted). A never-enrolled draft can still be deleted. Enrollments
		// keep the customer id they entered with across merges, which only needs that row to exist.
		foreignKey({ name: 'enrollments_journey_fk', columns: [t.journeyId], foreignColumns: [journeys.id] }).onDelete('no action'),
		foreignKey({ name: 'enrollments_customer_fk', columns: [t.customerId], foreignColumns: [customers.id] }).onDelete('no action')
	]
);

/** Every step of every enrollment; the funnels read this. `visit` counts passes through a node in loops. */
export const stepLog = pgTable(
	'step_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		enrollmentId: text('enrollment_id').notNull(),
		journeyId: text('journey_id').notNull(),
		version: integer('version').notNull(),
		customerId: text('customer_id').notNull(),
		nodeId: text('node_id').notNull(),
		visit: integer('visit').notNull().default(1),
		kind: text('kind').$type<StepKind>().notNull(),
		branch: text('branch'),
		reason: text('reason'),
		detail: jsonb('detail').$type<Record<string, unknown>>(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('step_log_once_uq').on(t.enrollmentId, t.nodeId, t.visit, t.kind),
		index('step_log_journey_idx').on(t.journeyId, t.version, t.nodeId, t.kind),
		// Steps are details of their enrollment and go with it.
		foreignKey({ name: 'step_log_enrollment_fk', columns: [t.enrollmentId], foreignColumns: [enrollments.id] }).onDelete('cascade')
	]
);

export type Journey = typeof journeys.$inferSelect;
export type JourneyVersion = typeof journeyVersions.$inferSelect;
export type Enrollment = typeof enrollments.$inferSelect;
export type StepLogRow = typeof stepLog.$inferSelect;
