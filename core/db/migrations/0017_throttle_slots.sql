CREATE TABLE "throttle_slots" (
	"bucket" text NOT NULL,
	"key" text NOT NULL,
	"slot_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "throttle_slots_pk" PRIMARY KEY("bucket","key")
);
--> statement-breakpoint
CREATE INDEX "throttle_slots_bucket_slot_idx" ON "throttle_slots" USING btree ("bucket","slot_at");--> statement-breakpoint
CREATE INDEX "throttle_slots_bucket_sent_idx" ON "throttle_slots" USING btree ("bucket","sent_at");