CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"role" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_hash_uq" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" text PRIMARY KEY NOT NULL,
	"traits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"trait_times" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"consent" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"timezone" text,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"orders_count" integer DEFAULT 0 NOT NULL,
	"lifetime_value" numeric(14, 2) DEFAULT '0' NOT NULL,
	"merged_into" text,
	"erased_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "identities" (
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"customer_id" text NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identities_pk" PRIMARY KEY("kind","value")
);
--> statement-breakpoint
CREATE TABLE "merges" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"from_customer_id" text NOT NULL,
	"into_customer_id" text NOT NULL,
	"event_id" text,
	"snapshot" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"author" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "segment_members" (
	"segment_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "segment_members_pk" PRIMARY KEY("segment_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "segments" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suppressions" (
	"channel" text NOT NULL,
	"value" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppressions_pk" PRIMARY KEY("channel","value")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" text PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"type" text NOT NULL,
	"name" text,
	"customer_id" text NOT NULL,
	"user_id" text,
	"anonymous_id" text,
	"properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"traits" jsonb,
	"context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"routed_at" timestamp with time zone,
	"routing_attempts" integer DEFAULT 0 NOT NULL,
	"routing_error" text
);
--> statement-breakpoint
CREATE TABLE "enrollments" (
	"id" text PRIMARY KEY NOT NULL,
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"customer_id" text NOT NULL,
	"n" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"current_node_id" text,
	"interests" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"entry_event_id" text,
	"variant" text,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"exit_reason" text
);
--> statement-breakpoint
CREATE TABLE "journey_versions" (
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" text
);
--> statement-breakpoint
CREATE TABLE "journeys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"draft" jsonb NOT NULL,
	"live_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "step_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"enrollment_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"customer_id" text NOT NULL,
	"node_id" text NOT NULL,
	"visit" integer DEFAULT 1 NOT NULL,
	"kind" text NOT NULL,
	"branch" text,
	"reason" text,
	"detail" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"status" text NOT NULL,
	"provider_event_id" text,
	"raw" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"channel" text NOT NULL,
	"provider" text NOT NULL,
	"customer_id" text NOT NULL,
	"journey_id" text,
	"enrollment_id" text,
	"node_id" text,
	"to" text NOT NULL,
	"subject" text,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"provider_message_id" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"grant_key" text NOT NULL,
	"customer_id" text NOT NULL,
	"journey_id" text,
	"enrollment_id" text,
	"node_id" text,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"value" numeric(12, 2) NOT NULL,
	"currency" text,
	"product_scope" jsonb,
	"store_scope" jsonb,
	"status" text DEFAULT 'active' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"reserved_until" timestamp with time zone,
	"reserved_by" text,
	"redeemed_at" timestamp with time zone,
	"redeemed_channel" text,
	"redeemed_order_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "redemptions" (
	"idempotency_key" text PRIMARY KEY NOT NULL,
	"offer_code" text NOT NULL,
	"status_code" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"task_key" text NOT NULL,
	"customer_id" text NOT NULL,
	"enrollment_id" text,
	"journey_id" text,
	"node_id" text,
	"store_id" text,
	"title" text NOT NULL,
	"instructions" text DEFAULT '' NOT NULL,
	"offer_id" text,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" text
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_members" ADD CONSTRAINT "segment_members_segment_id_segments_id_fk" FOREIGN KEY ("segment_id") REFERENCES "public"."segments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journey_versions" ADD CONSTRAINT "journey_versions_journey_id_journeys_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journeys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "customers_last_seen_idx" ON "customers" USING btree ("last_seen_at");--> statement-breakpoint
CREATE INDEX "customers_merged_into_idx" ON "customers" USING btree ("merged_into") WHERE "customers"."merged_into" is not null;--> statement-breakpoint
CREATE INDEX "identities_customer_idx" ON "identities" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "merges_into_idx" ON "merges" USING btree ("into_customer_id");--> statement-breakpoint
CREATE INDEX "merges_from_idx" ON "merges" USING btree ("from_customer_id");--> statement-breakpoint
CREATE INDEX "notes_customer_idx" ON "notes" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "segment_members_customer_idx" ON "segment_members" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "events_message_id_uq" ON "events" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "events_customer_ts_idx" ON "events" USING btree ("customer_id","timestamp");--> statement-breakpoint
CREATE INDEX "events_name_ts_idx" ON "events" USING btree ("name","timestamp");--> statement-breakpoint
CREATE INDEX "events_unrouted_idx" ON "events" USING btree ("received_at") WHERE "events"."routed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "enrollments_journey_customer_n_uq" ON "enrollments" USING btree ("journey_id","customer_id","n");--> statement-breakpoint
CREATE INDEX "enrollments_customer_status_idx" ON "enrollments" USING btree ("customer_id","status");--> statement-breakpoint
CREATE INDEX "enrollments_journey_status_idx" ON "enrollments" USING btree ("journey_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "journey_versions_uq" ON "journey_versions" USING btree ("journey_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "step_log_once_uq" ON "step_log" USING btree ("enrollment_id","node_id","visit","kind");--> statement-breakpoint
CREATE INDEX "step_log_journey_idx" ON "step_log" USING btree ("journey_id","version","node_id","kind");--> statement-breakpoint
CREATE INDEX "message_events_message_idx" ON "message_events" USING btree ("message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "message_events_provider_uq" ON "message_events" USING btree ("provider_event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_idempotency_uq" ON "messages" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "messages_customer_idx" ON "messages" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_provider_id_idx" ON "messages" USING btree ("provider_message_id");--> statement-breakpoint
CREATE INDEX "messages_channel_created_idx" ON "messages" USING btree ("channel","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "offers_code_uq" ON "offers" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "offers_grant_key_uq" ON "offers" USING btree ("grant_key");--> statement-breakpoint
CREATE INDEX "offers_customer_idx" ON "offers" USING btree ("customer_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "store_tasks_key_uq" ON "store_tasks" USING btree ("task_key");--> statement-breakpoint
CREATE INDEX "store_tasks_store_status_idx" ON "store_tasks" USING btree ("store_id","status");