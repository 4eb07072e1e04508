CREATE TABLE "sms_keywords" (
	"message_sid" text PRIMARY KEY NOT NULL,
	"number_hash" text NOT NULL,
	"keyword" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sms_keywords_number_idx" ON "sms_keywords" USING btree ("number_hash","sent_at");