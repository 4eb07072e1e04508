CREATE TABLE "analytics_conversions" (
	"enrollment_id" text PRIMARY KEY NOT NULL,
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"variant" text DEFAULT '' NOT NULL,
	"customer_id" text NOT NULL,
	"node_id" text NOT NULL,
	"event_id" text,
	"event_name" text,
	"revenue" numeric(14, 2) DEFAULT '0' NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	"converted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_paths" (
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"variant" text DEFAULT '' NOT NULL,
	"day" date NOT NULL,
	"path" text NOT NULL,
	"customers" bigint DEFAULT 0 NOT NULL,
	"converted" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_paths_pk" PRIMARY KEY("journey_id","version","variant","day","path")
);
--> statement-breakpoint
CREATE TABLE "analytics_step_daily" (
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"variant" text DEFAULT '' NOT NULL,
	"day" date NOT NULL,
	"node_id" text NOT NULL,
	"metric" text NOT NULL,
	"key" text DEFAULT '' NOT NULL,
	"visits" bigint DEFAULT 0 NOT NULL,
	"customers" bigint DEFAULT 0 NOT NULL,
	"amount" numeric(18, 2) DEFAULT '0' NOT NULL,
	CONSTRAINT "analytics_step_daily_pk" PRIMARY KEY("journey_id","version","variant","day","node_id","metric","key")
);
--> statement-breakpoint
CREATE INDEX "analytics_conversions_journey_idx" ON "analytics_conversions" USING btree ("journey_id","converted_at");--> statement-breakpoint
CREATE INDEX "analytics_conversions_at_idx" ON "analytics_conversions" USING btree ("converted_at");--> statement-breakpoint
-- Engagement per message step reads a journey's messages (not in the drizzle schema of messages, owned elsewhere).
CREATE INDEX IF NOT EXISTS "messages_journey_node_idx" ON "messages" USING btree ("journey_id","node_id");