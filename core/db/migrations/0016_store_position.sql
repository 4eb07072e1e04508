ALTER TABLE "stores" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "stores" SET "position" = CASE "id" WHEN 'paris-01' THEN 1 WHEN 'lyon-01' THEN 2 WHEN 'bordeaux-01' THEN 3 WHEN 'brussels-01' THEN 4 ELSE "position" END;
