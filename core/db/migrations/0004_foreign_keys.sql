-- Rows written before these constraints may point at nothing; settle them first so every ALTER below holds.
-- A merge pointer to a missing survivor is dropped: the profile is live again, with its own rows.
UPDATE "customers" c SET "merged_into" = NULL WHERE c."merged_into" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "customers" s WHERE s."id" = c."merged_into");--> statement-breakpoint
-- An enrollment whose journey is gone cannot be shown or counted anywhere: it goes (its steps follow below).
DELETE FROM "enrollments" e WHERE NOT EXISTS (SELECT 1 FROM "journeys" j WHERE j."id" = e."journey_id");--> statement-breakpoint
-- History that names a missing customer keeps its attribution: the customer comes back as an empty profile.
INSERT INTO "customers" ("id") SELECT "customer_id" FROM "identities" UNION SELECT "customer_id" FROM "notes" UNION SELECT "from_customer_id" FROM "merges" UNION SELECT "into_customer_id" FROM "merges" UNION SELECT "customer_id" FROM "events" UNION SELECT "customer_id" FROM "enrollments" UNION SELECT "customer_id" FROM "messages" UNION SELECT "customer_id" FROM "offers" UNION SELECT "customer_id" FROM "store_tasks" ON CONFLICT ("id") DO NOTHING;--> statement-breakpoint
-- Memberships are derived (a refresh recomputes them); steps and delivery events are details of their parent.
DELETE FROM "segment_members" m WHERE NOT EXISTS (SELECT 1 FROM "customers" c WHERE c."id" = m."customer_id");--> statement-breakpoint
DELETE FROM "step_log" s WHERE NOT EXISTS (SELECT 1 FROM "enrollments" e WHERE e."id" = s."enrollment_id");--> statement-breakpoint
DELETE FROM "message_events" me WHERE NOT EXISTS (SELECT 1 FROM "messages" m WHERE m."id" = me."message_id");--> statement-breakpoint
-- Messages, offers and store tasks outlive a missing enrollment or offer by forgetting it.
UPDATE "messages" m SET "enrollment_id" = NULL WHERE m."enrollment_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "enrollments" e WHERE e."id" = m."enrollment_id");--> statement-breakpoint
UPDATE "offers" o SET "enrollment_id" = NULL WHERE o."enrollment_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "enrollments" e WHERE e."id" = o."enrollment_id");--> statement-breakpoint
UPDATE "store_tasks" t SET "enrollment_id" = NULL WHERE t."enrollment_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "enrollments" e WHERE e."id" = t."enrollment_id");--> statement-breakpoint
UPDATE "store_tasks" t SET "offer_id" = NULL WHERE t."offer_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "offers" o WHERE o."id" = t."offer_id");--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_merged_into_fk" FOREIGN KEY ("merged_into") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merges" ADD CONSTRAINT "merges_from_customer_fk" FOREIGN KEY ("from_customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merges" ADD CONSTRAINT "merges_into_customer_fk" FOREIGN KEY ("into_customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_customer_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_members" ADD CONSTRAINT "segment_members_customer_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_customer_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_journey_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journeys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_customer_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "step_log" ADD CONSTRAINT "step_log_enrollment_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_events" ADD CONSTRAINT "message_events_message_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_customer_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_enrollment_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_customer_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_enrollment_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_tasks" ADD CONSTRAINT "store_tasks_customer_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_tasks" ADD CONSTRAINT "store_tasks_enrollment_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_tasks" ADD CONSTRAINT "store_tasks_offer_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE set null ON UPDATE no action;