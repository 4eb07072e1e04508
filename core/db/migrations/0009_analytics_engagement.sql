CREATE TABLE "analytics_engagement_daily" (
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"variant" text DEFAULT '' NOT NULL,
	"day" date NOT NULL,
	"node_id" text NOT NULL,
	"channel" text NOT NULL,
	"stage" text NOT NULL,
	"messages" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_engagement_daily_pk" PRIMARY KEY("journey_id","version","variant","day","node_id","channel","stage")
);
--> statement-breakpoint
CREATE TABLE "analytics_message_reached" (
	"message_id" text PRIMARY KEY NOT NULL,
	"enrollment_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"node_id" text NOT NULL,
	"channel" text NOT NULL,
	"stages" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analytics_message_reached" ADD CONSTRAINT "analytics_message_reached_message_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analytics_message_reached_enrollment_idx" ON "analytics_message_reached" USING btree ("enrollment_id");--> statement-breakpoint
CREATE INDEX "analytics_message_reached_journey_idx" ON "analytics_message_reached" USING btree ("journey_id");--> statement-breakpoint
-- Channel engagement maintained by triggers, so every writer of messages and their events keeps it exact
-- (core/analytics/README.md). Stage bits: sent 1, delivered 2, opened 4, clicked 8, bounced 16, complained 32,
-- unsubscribed 64, failed 128 — the same table as STATUSES_OF in core/analytics/engagement.ts (a test holds it).
CREATE OR REPLACE FUNCTION analytics_stage_bits(status text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE status
		WHEN 'sent' THEN 1
		WHEN 'delivered' THEN 1 | 2
		WHEN 'opened' THEN 1 | 2 | 4
		WHEN 'clicked' THEN 1 | 2 | 4 | 8
		WHEN 'bounced' THEN 1 | 16
		WHEN 'dropped' THEN 1 | 16
		WHEN 'undelivered' THEN 1 | 16
		WHEN 'spam' THEN 1 | 2 | 32
		WHEN 'unsubscribed' THEN 1 | 2 | 64
		WHEN 'failed' THEN 128
		ELSE 0
	END
$$;
--> statement-breakpoint
-- A message reached the stages in `bits`: count each stage it had not reached yet, once. Builder test sends
-- (meta.test) and messages without an enrollment never count.
CREATE OR REPLACE FUNCTION analytics_message_reach(mid text, bits integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	m record;
	e record;
	had integer;
	added integer;
	stage_names text[] := ARRAY['sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed', 'failed'];
BEGIN
	IF bits = 0 THEN RETURN; END IF;
	SELECT id, enrollment_id, node_id, channel, meta INTO m FROM messages WHERE id = mid;
	IF NOT FOUND OR m.enrollment_id IS NULL OR m.node_id IS NULL OR coalesce(m.meta->>'test', 'false') = 'true' THEN RETURN; END IF;
	-- FOR SHARE waits for a transaction changing the enrollment's variant, so the figures land on the variant it commits.
	SELECT journey_id, version, coalesce(variant, '') AS variant, (entered_at AT TIME ZONE 'UTC')::date AS entry_day
		INTO e FROM enrollments WHERE id = m.enrollment_id FOR SHARE;
	IF NOT FOUND THEN RETURN; END IF;
	INSERT INTO analytics_message_reached (message_id, enrollment_id, journey_id, node_id, channel, stages)
		VALUES (mid, m.enrollment_id, e.journey_id, m.node_id, m.channel, 0)
		ON CONFLICT (message_id) DO NOTHING;
	SELECT stages INTO had FROM analytics_message_reached WHERE message_id = mid FOR UPDATE;
	added := bits & ~had;
	IF added = 0 THEN RETURN; END IF;
	UPDATE analytics_message_reached SET stages = had | added WHERE message_id = mid;
	INSERT INTO analytics_engagement_daily (journey_id, version, variant, day, node_id, channel, stage, messages)
		SELECT e.journey_id, e.version, e.variant, e.entry_day, m.node_id, m.channel, stage_names[i], 1
		FROM generate_series(1, 8) AS i
		WHERE added & (1 << (i - 1)) <> 0
		ORDER BY i
		ON CONFLICT (journey_id, version, variant, day, node_id, channel, stage)
		DO UPDATE SET messages = analytics_engagement_daily.messages + 1;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_messages_reach() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	bits integer := analytics_stage_bits(NEW.status) | CASE WHEN NEW.sent_at IS NOT NULL THEN 1 ELSE 0 END;
BEGIN
	-- Attached to an enrollment only now: its earlier events count too.
	IF TG_OP = 'UPDATE' AND NEW.enrollment_id IS DISTINCT FROM OLD.enrollment_id THEN
		bits := bits | coalesce((SELECT bit_or(analytics_stage_bits(ev.status)) FROM message_events ev WHERE ev.message_id = NEW.id), 0);
	END IF;
	PERFORM analytics_message_reach(NEW.id, bits);
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER analytics_messages_reach AFTER INSERT OR UPDATE OF status, sent_at, enrollment_id, meta ON messages
	FOR EACH ROW EXECUTE FUNCTION analytics_messages_reach();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_message_events_reach() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM analytics_message_reach(NEW.message_id, analytics_stage_bits(NEW.status));
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER analytics_message_events_reach AFTER INSERT ON message_events
	FOR EACH ROW EXECUTE FUNCTION analytics_message_events_reach();
--> statement-breakpoint
-- The split assigns the variant after messages were sent: their figures move with the enrollment, as the step rollups do.
CREATE OR REPLACE FUNCTION analytics_enrollment_variant_moves() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	WITH counts AS (
		SELECT r.node_id, r.channel, s.stage, count(*) AS n
		FROM analytics_message_reached r
		CROSS JOIN unnest(ARRAY['sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed', 'failed']) WITH ORDINALITY AS s(stage, i)
		WHERE r.enrollment_id = NEW.id AND r.stages & (1 << (s.i::integer - 1)) <> 0
		GROUP BY r.node_id, r.channel, s.stage
	), moves AS (
		SELECT coalesce(OLD.variant, '') AS variant, node_id, channel, stage, -n AS n FROM counts
		UNION ALL
		SELECT coalesce(NEW.variant, ''), node_id, channel, stage, n FROM counts
	)
	INSERT INTO analytics_engagement_daily (journey_id, version, variant, day, node_id, channel, stage, messages)
		SELECT NEW.journey_id, NEW.version, moves.variant, (NEW.entered_at AT TIME ZONE 'UTC')::date, moves.node_id, moves.channel, moves.stage, moves.n
		FROM moves
		ORDER BY moves.variant, moves.node_id, moves.channel, moves.stage
		ON CONFLICT (journey_id, version, variant, day, node_id, channel, stage)
		DO UPDATE SET messages = analytics_engagement_daily.messages + excluded.messages;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER analytics_enrollment_variant_moves AFTER UPDATE OF variant ON enrollments
	FOR EACH ROW WHEN (coalesce(OLD.variant, '') IS DISTINCT FROM coalesce(NEW.variant, ''))
	EXECUTE FUNCTION analytics_enrollment_variant_moves();
--> statement-breakpoint
-- Recomputes the engagement of one journey (or all, with NULL) from messages and their events, as the triggers would
-- have: used once below for the messages sent before this migration, and by rebuildRollups (core/analytics/rebuild.ts).
CREATE OR REPLACE FUNCTION analytics_rebuild_engagement(journey text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM analytics_engagement_daily WHERE journey IS NULL OR journey_id = journey;
	DELETE FROM analytics_message_reached WHERE journey IS NULL OR journey_id = journey;
	INSERT INTO analytics_message_reached (message_id, enrollment_id, journey_id, node_id, channel, stages)
		SELECT * FROM (
			SELECT m.id, m.enrollment_id, e.journey_id, m.node_id, m.channel,
				analytics_stage_bits(m.status) | CASE WHEN m.sent_at IS NOT NULL THEN 1 ELSE 0 END
					| coalesce((SELECT bit_or(analytics_stage_bits(ev.status)) FROM message_events ev WHERE ev.message_id = m.id), 0) AS stages
			FROM messages m JOIN enrollments e ON e.id = m.enrollment_id
			WHERE (journey IS NULL OR e.journey_id = journey) AND m.node_id IS NOT NULL AND coalesce(m.meta->>'test', 'false') <> 'true'
		) AS reached
		WHERE reached.stages <> 0;
	INSERT INTO analytics_engagement_daily (journey_id, version, variant, day, node_id, channel, stage, messages)
		SELECT e.journey_id, e.version, coalesce(e.variant, ''), (e.entered_at AT TIME ZONE 'UTC')::date, r.node_id, r.channel, s.stage, count(*)
		FROM analytics_message_reached r
		JOIN enrollments e ON e.id = r.enrollment_id
		CROSS JOIN unnest(ARRAY['sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed', 'failed']) WITH ORDINALITY AS s(stage, i)
		WHERE (journey IS NULL OR r.journey_id = journey) AND r.stages & (1 << (s.i::integer - 1)) <> 0
		GROUP BY 1, 2, 3, 4, 5, 6, 7;
END
$$;
--> statement-breakpoint
SELECT analytics_rebuild_engagement(NULL);
