ALTER TABLE "messages" ADD COLUMN "counted_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "messages_customer_counted_idx" ON "messages" USING btree ("customer_id","counted_at");--> statement-breakpoint
-- Marketing messages already sent count under frequency caps from when they were sent.
UPDATE "messages" SET "counted_at" = "sent_at" WHERE "sent_at" IS NOT NULL AND "channel" IN ('email', 'sms') AND coalesce("meta"->>'purpose', 'marketing') = 'marketing';
