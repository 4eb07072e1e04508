-- Channel engagement (0009) with less work per message: the messages trigger fires only when something it counts
-- changed (not for a pending message's insert, nor for an update of its dispatch mark), hands the message's fields
-- over instead of reading the row again, and a message's first stage is one insert (its reached row, with the
-- stages) instead of an insert, a locking read and an update. Counts are the same as before (tests hold them).
CREATE OR REPLACE FUNCTION analytics_count_reach(mid text, enrollment text, node text, chan text, bits integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	e record;
	had integer;
	added integer;
	stage_names text[] := ARRAY['sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed', 'failed'];
BEGIN
	IF bits = 0 OR enrollment IS NULL OR node IS NULL THEN RETURN; END IF;
	-- FOR SHARE waits for a transaction changing the enrollment's variant, so the figures land on the variant it commits.
	SELECT journey_id, version, coalesce(variant, '') AS variant, (entered_at AT TIME ZONE 'UTC')::date AS entry_day
		INTO e FROM enrollments WHERE id = enrollment FOR SHARE;
	IF NOT FOUND THEN RETURN; END IF;
	INSERT INTO analytics_message_reached (message_id, enrollment_id, journey_id, node_id, channel, stages)
		VALUES (mid, enrollment, e.journey_id, node, chan, bits)
		ON CONFLICT (message_id) DO NOTHING;
	IF FOUND THEN
		added := bits;
	ELSE
		SELECT stages INTO had FROM analytics_message_reached WHERE message_id = mid FOR UPDATE;
		added := bits & ~had;
		IF added = 0 THEN RETURN; END IF;
		UPDATE analytics_message_reached SET stages = had | added WHERE message_id = mid;
	END IF;
	INSERT INTO analytics_engagement_daily (journey_id, version, variant, day, node_id, channel, stage, messages)
		SELECT e.journey_id, e.version, e.variant, e.entry_day, node, chan, stage_names[i], 1
		FROM generate_series(1, 8) AS i
		WHERE added & (1 << (i - 1)) <> 0
		ORDER BY i
		ON CONFLICT (journey_id, version, variant, day, node_id, channel, stage)
		DO UPDATE SET messages = analytics_engagement_daily.messages + 1;
END
$$;
--> statement-breakpoint
-- A message reached the stages in `bits` (a provider event): count each stage it had not reached yet, once. Builder
-- test sends (meta.test) and messages without an enrollment never count.
CREATE OR REPLACE FUNCTION analytics_message_reach(mid text, bits integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	m record;
BEGIN
	IF bits = 0 THEN RETURN; END IF;
	SELECT id, enrollment_id, node_id, channel, meta INTO m FROM messages WHERE id = mid;
	IF NOT FOUND OR coalesce(m.meta->>'test', 'false') = 'true' THEN RETURN; END IF;
	PERFORM analytics_count_reach(m.id, m.enrollment_id, m.node_id, m.channel, bits);
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION analytics_messages_reach() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	bits integer := analytics_stage_bits(NEW.status) | CASE WHEN NEW.sent_at IS NOT NULL THEN 1 ELSE 0 END;
BEGIN
	IF coalesce(NEW.meta->>'test', 'false') = 'true' THEN RETURN NULL; END IF;
	-- Attached to an enrollment only now: its earlier events count too.
	IF TG_OP = 'UPDATE' AND NEW.enrollment_id IS DISTINCT FROM OLD.enrollment_id THEN
		bits := bits | coalesce((SELECT bit_or(analytics_stage_bits(ev.status)) FROM message_events ev WHERE ev.message_id = NEW.id), 0);
	END IF;
	PERFORM analytics_count_reach(NEW.id, NEW.enrollment_id, NEW.node_id, NEW.channel, bits);
	RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER analytics_messages_reach ON messages;
--> statement-breakpoint
-- Inserted with a stage already (a skipped or failed draft, a message written as sent): pending drafts do not fire.
CREATE TRIGGER analytics_messages_reach_insert AFTER INSERT ON messages
	FOR EACH ROW WHEN (NEW.enrollment_id IS NOT NULL AND NEW.node_id IS NOT NULL
		AND (analytics_stage_bits(NEW.status) <> 0 OR NEW.sent_at IS NOT NULL))
	EXECUTE FUNCTION analytics_messages_reach();
--> statement-breakpoint
-- Only a change the count reads: the status, whether it was sent, the enrollment, the test flag.
CREATE TRIGGER analytics_messages_reach_update AFTER UPDATE OF status, sent_at, enrollment_id, meta ON messages
	FOR EACH ROW WHEN (NEW.enrollment_id IS NOT NULL AND NEW.node_id IS NOT NULL AND (
		NEW.status IS DISTINCT FROM OLD.status
		OR (NEW.sent_at IS NULL) <> (OLD.sent_at IS NULL)
		OR NEW.enrollment_id IS DISTINCT FROM OLD.enrollment_id
		OR (NEW.meta->>'test') IS DISTINCT FROM (OLD.meta->>'test')))
	EXECUTE FUNCTION analytics_messages_reach();
