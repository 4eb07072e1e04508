CREATE TABLE "ingest_inbox" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"message_id" text NOT NULL,
	"sender_key" text NOT NULL,
	"message" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"error" text,
	"failed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "carts" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text,
	"anonymous_id" text,
	"items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"offer_code" text,
	"status" text DEFAULT 'open' NOT NULL,
	"order_id" text,
	"handoff_code" text,
	"handoff_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" text PRIMARY KEY NOT NULL,
	"cart_id" text NOT NULL,
	"customer_id" text,
	"anonymous_id" text,
	"channel" text NOT NULL,
	"store_id" text,
	"fulfilment" text NOT NULL,
	"pickup_store_id" text,
	"status" text DEFAULT 'placed' NOT NULL,
	"items" jsonb NOT NULL,
	"subtotal_cents" integer NOT NULL,
	"discount_cents" integer DEFAULT 0 NOT NULL,
	"total_cents" integer NOT NULL,
	"currency" text NOT NULL,
	"offer_code" text,
	"buyer_name" text,
	"buyer_email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ready_at" timestamp with time zone,
	"collected_at" timestamp with time zone,
	CONSTRAINT "orders_pickup_has_store" CHECK ("orders"."fulfilment" <> 'pickup' or "orders"."pickup_store_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "routing_claimed_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "carts" ADD CONSTRAINT "carts_customer_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_store_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_pickup_store_fk" FOREIGN KEY ("pickup_store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ingest_inbox_message_id_uq" ON "ingest_inbox" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "ingest_inbox_sender_seq_idx" ON "ingest_inbox" USING btree ("sender_key","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "carts_open_customer_uq" ON "carts" USING btree ("customer_id") WHERE "carts"."status" = 'open' and "carts"."customer_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "carts_open_visitor_uq" ON "carts" USING btree ("anonymous_id") WHERE "carts"."status" = 'open' and "carts"."customer_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "carts_handoff_code_uq" ON "carts" USING btree ("handoff_code") WHERE "carts"."handoff_code" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "orders_cart_uq" ON "orders" USING btree ("cart_id");--> statement-breakpoint
CREATE INDEX "orders_customer_idx" ON "orders" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_pickup_idx" ON "orders" USING btree ("pickup_store_id","status","created_at") WHERE "orders"."pickup_store_id" is not null;