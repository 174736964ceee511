-- Site schema version 5: each site device's latest intake, intake count and latest grade, kept
-- on its `site_devices` row by the server as records arrive, so the quality list pages through
-- one indexed table instead of working the latest intake out of every record at each call; and
-- records found by their id alone (the verification page's certificate, the list's `after`).

ALTER TABLE site_devices
    ADD COLUMN last_station         uuid,
    ADD COLUMN last_device_id       text,
    ADD COLUMN last_intake_id       text,
    ADD COLUMN last_started_at      text,
    ADD COLUMN last_operator        text,
    ADD COLUMN last_battery_verdict text,
    ADD COLUMN last_soh_pct         float8,
    ADD COLUMN last_lock_verdict    text,
    ADD COLUMN intake_count         bigint NOT NULL DEFAULT 0,
    ADD COLUMN last_grade_id        text,
    ADD COLUMN last_graded_at       text,
    ADD COLUMN last_outcome         text,
    ADD COLUMN last_listing_grade   text;

-- A record by its id, whatever its station: a certificate for the verification page, an intake
-- for the list's `after`.
CREATE INDEX records_entity_id ON records (entity, entity_id);
-- A station's grades name their device by the station's device id.
CREATE INDEX records_grade_device ON records (station_id, (record ->> 'device_id'))
    WHERE entity = 'grade';

-- Works a device's summary out of every record: when a station's device row joins it (its
-- intakes may have arrived first) and when this migration fills existing sites.
CREATE FUNCTION site_summarise(key text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    UPDATE site_devices d SET
        last_station = l.station_id, last_device_id = l.device_id,
        last_intake_id = l.intake_id, last_started_at = l.started_at,
        last_operator = l.operator, last_battery_verdict = l.battery_verdict,
        last_soh_pct = l.soh_pct, last_lock_verdict = l.lock_verdict,
        intake_count = COALESCE(c.intakes, 0),
        last_grade_id = g.grade_id, last_graded_at = g.graded_at,
        last_outcome = g.outcome, last_listing_grade = g.listing_grade
    FROM (SELECT key AS device_key) k
    LEFT JOIN LATERAL (
        SELECT r.station_id, r.record ->> 'device_id' AS device_id, r.entity_id AS intake_id,
               r.record ->> 'started_at' AS started_at, r.record ->> 'operator' AS operator,
               r.record ->> 'battery_verdict' AS battery_verdict,
               (r.record ->> 'soh_pct')::float8 AS soh_pct,
               r.record ->> 'lock_verdict' AS lock_verdict
        FROM site_device_rows m
        JOIN records r ON r.station_id = m.station_id AND r.entity = 'intake'
                      AND r.record ->> 'device_id' = m.device_id
        WHERE m.device_key = k.device_key
        ORDER BY r.record ->> 'started_at' DESC, r.entity_id DESC LIMIT 1
    ) l ON true
    LEFT JOIN LATERAL (
        SELECT count(*) AS intakes
        FROM site_device_rows m
        JOIN records r ON r.station_id = m.station_id AND r.entity = 'intake'
                      AND r.record ->> 'device_id' = m.device_id
        WHERE m.device_key = k.device_key
    ) c ON true
    LEFT JOIN LATERAL (
        SELECT r.entity_id AS grade_id, r.record ->> 'graded_at' AS graded_at,
               r.record ->> 'outcome' AS outcome, r.record ->> 'listing_grade' AS listing_grade
        FROM site_device_rows m
        JOIN records r ON r.station_id = m.station_id AND r.entity = 'grade'
                      AND r.record ->> 'device_id' = m.device_id
        WHERE m.device_key = k.device_key
        ORDER BY r.record ->> 'graded_at' DESC, r.entity_id DESC LIMIT 1
    ) g ON true
    WHERE d.device_key = k.device_key
$$;
REVOKE ALL ON FUNCTION site_summarise(text) FROM PUBLIC;

-- A device row matched (schema version 3's trigger), then its summary worked out again: the
-- station's intakes of it may have arrived before it, and a row that moved to another key leaves
-- its old one.
CREATE OR REPLACE FUNCTION site_match_device() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    matched text := site_device_key(NEW.station_id, NEW.entity_id, NEW.record);
    before text;
BEGIN
    SELECT device_key INTO before FROM site_device_rows
    WHERE station_id = NEW.station_id AND device_id = NEW.entity_id;
    INSERT INTO site_devices (device_key, category, make, model, imei, serial, first_seen,
                              first_station)
    VALUES (matched, COALESCE(NEW.record ->> 'category', ''), COALESCE(NEW.record ->> 'make', ''),
            COALESCE(NEW.record ->> 'model', ''), NULLIF(NEW.record ->> 'imei', ''),
            NULLIF(NEW.record ->> 'serial', ''), COALESCE(NEW.record ->> 'first_seen', ''),
            NEW.station_id)
    ON CONFLICT (device_key) DO UPDATE
        -- A serial learnt later by another station fills the gap; nothing else moves.
        SET serial = COALESCE(site_devices.serial, EXCLUDED.serial);
    INSERT INTO site_device_rows (station_id, device_id, device_key)
    VALUES (NEW.station_id, NEW.entity_id, matched)
    ON CONFLICT (station_id, device_id) DO UPDATE SET device_key = EXCLUDED.device_key;
    IF before IS DISTINCT FROM matched THEN
        PERFORM site_summarise(matched);
        IF before IS NOT NULL THEN
            PERFORM site_summarise(before);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- An intake or a grade arriving (or changing) moves its device's summary forward when it is the
-- newest: a few index lookups a record, so replication stays a stream of cheap writes.
CREATE FUNCTION site_follow_record() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    key text;
BEGIN
    SELECT device_key INTO key FROM site_device_rows
    WHERE station_id = NEW.station_id AND device_id = NEW.record ->> 'device_id';
    IF key IS NULL THEN
        -- Its device row has not arrived yet: matching it will summarise.
        RETURN NULL;
    END IF;
    IF NEW.entity = 'intake' THEN
        UPDATE site_devices SET
            -- Counted, not incremented: when a push's one statement brings a device and its
            -- intakes, the device's summary (fired first) already saw them.
            intake_count = (SELECT count(*) FROM site_device_rows m
                            JOIN records r ON r.station_id = m.station_id AND r.entity = 'intake'
                                          AND r.record ->> 'device_id' = m.device_id
                            WHERE m.device_key = key),
            last_station = CASE WHEN newest THEN NEW.station_id ELSE last_station END,
            last_device_id = CASE WHEN newest THEN NEW.record ->> 'device_id' ELSE last_device_id END,
            last_intake_id = CASE WHEN newest THEN NEW.entity_id ELSE last_intake_id END,
            last_started_at = CASE WHEN newest THEN NEW.record ->> 'started_at' ELSE last_started_at END,
            last_operator = CASE WHEN newest THEN NEW.record ->> 'operator' ELSE last_operator END,
            last_battery_verdict = CASE WHEN newest THEN NEW.record ->> 'battery_verdict'
                                   ELSE last_battery_verdict END,
            last_soh_pct = CASE WHEN newest THEN (NEW.record ->> 'soh_pct')::float8 ELSE last_soh_pct END,
            last_lock_verdict = CASE WHEN newest THEN NEW.record ->> 'lock_verdict'
                                ELSE last_lock_verdict END
        FROM (SELECT last_intake_id IS NULL
                     OR (NEW.record ->> 'started_at', NEW.entity_id)
                        >= (last_started_at, last_intake_id) AS newest
              FROM site_devices WHERE device_key = key) AS s
        WHERE device_key = key;
    ELSE
        UPDATE site_devices SET
            last_grade_id = NEW.entity_id, last_graded_at = NEW.record ->> 'graded_at',
            last_outcome = NEW.record ->> 'outcome',
            last_listing_grade = NEW.record ->> 'listing_grade'
        WHERE device_key = key
          AND (last_grade_id IS NULL
               OR (NEW.record ->> 'graded_at', NEW.entity_id) >= (last_graded_at, last_grade_id));
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION site_follow_record() FROM PUBLIC;

CREATE TRIGGER records_follow_intake_or_grade
    AFTER INSERT OR UPDATE OF record ON records
    FOR EACH ROW WHEN (NEW.entity IN ('intake', 'grade'))
    EXECUTE FUNCTION site_follow_record();

-- The quality list's order (newest latest intake first) and its common filters, each with the
-- order so a filtered page is an index range too.
CREATE INDEX site_devices_latest ON site_devices (last_started_at DESC, last_intake_id DESC)
    WHERE last_intake_id IS NOT NULL;
CREATE INDEX site_devices_battery ON site_devices
    (last_battery_verdict, last_started_at DESC, last_intake_id DESC)
    WHERE last_intake_id IS NOT NULL;
CREATE INDEX site_devices_lock ON site_devices
    (last_lock_verdict, last_started_at DESC, last_intake_id DESC)
    WHERE last_intake_id IS NOT NULL;
CREATE INDEX site_devices_operator ON site_devices
    (last_operator, last_started_at DESC, last_intake_id DESC)
    WHERE last_intake_id IS NOT NULL;
CREATE INDEX site_devices_outcome ON site_devices
    (last_outcome, last_started_at DESC, last_intake_id DESC)
    WHERE last_intake_id IS NOT NULL;
CREATE INDEX site_devices_grade ON site_devices
    (last_listing_grade, last_started_at DESC, last_intake_id DESC)
    WHERE last_intake_id IS NOT NULL;

-- Every device and summary worked out from the records in a few set-wide statements, as the
-- triggers would have left them: fills a site upgraded to this version, and one whose records
-- were loaded in bulk with the triggers off (the site query benchmark). Matching follows
-- version 3's rule (the first station to push a device names its identity).
CREATE FUNCTION site_rebuild() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    INSERT INTO site_devices (device_key, category, make, model, imei, serial, first_seen,
                              first_station)
    SELECT DISTINCT ON (key) key, COALESCE(record ->> 'category', ''),
           COALESCE(record ->> 'make', ''), COALESCE(record ->> 'model', ''),
           NULLIF(record ->> 'imei', ''), NULLIF(record ->> 'serial', ''),
           COALESCE(record ->> 'first_seen', ''), station_id
    FROM (SELECT site_device_key(station_id, entity_id, record) AS key, * FROM records
          WHERE entity = 'device') AS devices
    ORDER BY key, seq
    ON CONFLICT (device_key) DO NOTHING;
    INSERT INTO site_device_rows (station_id, device_id, device_key)
    SELECT station_id, entity_id, site_device_key(station_id, entity_id, record)
    FROM records WHERE entity = 'device'
    ON CONFLICT (station_id, device_id) DO UPDATE SET device_key = EXCLUDED.device_key;

    UPDATE site_devices d SET
        last_station = l.station_id, last_device_id = l.device_id,
        last_intake_id = l.intake_id, last_started_at = l.started_at,
        last_operator = l.operator, last_battery_verdict = l.battery_verdict,
        last_soh_pct = l.soh_pct, last_lock_verdict = l.lock_verdict,
        intake_count = l.intakes
    FROM (
        SELECT DISTINCT ON (m.device_key) m.device_key, r.station_id,
               r.record ->> 'device_id' AS device_id, r.entity_id AS intake_id,
               r.record ->> 'started_at' AS started_at, r.record ->> 'operator' AS operator,
               r.record ->> 'battery_verdict' AS battery_verdict,
               (r.record ->> 'soh_pct')::float8 AS soh_pct,
               r.record ->> 'lock_verdict' AS lock_verdict,
               count(*) OVER (PARTITION BY m.device_key) AS intakes
        FROM records r
        JOIN site_device_rows m
          ON m.station_id = r.station_id AND m.device_id = r.record ->> 'device_id'
        WHERE r.entity = 'intake'
        ORDER BY m.device_key, r.record ->> 'started_at' DESC, r.entity_id DESC
    ) l
    WHERE d.device_key = l.device_key;

    UPDATE site_devices d SET
        last_grade_id = g.grade_id, last_graded_at = g.graded_at,
        last_outcome = g.outcome, last_listing_grade = g.listing_grade
    FROM (
        SELECT DISTINCT ON (m.device_key) m.device_key, r.entity_id AS grade_id,
               r.record ->> 'graded_at' AS graded_at, r.record ->> 'outcome' AS outcome,
               r.record ->> 'listing_grade' AS listing_grade
        FROM records r
        JOIN site_device_rows m
          ON m.station_id = r.station_id AND m.device_id = r.record ->> 'device_id'
        WHERE r.entity = 'grade'
        ORDER BY m.device_key, r.record ->> 'graded_at' DESC, r.entity_id DESC
    ) g
    WHERE d.device_key = g.device_key;
$$;
REVOKE ALL ON FUNCTION site_rebuild() FROM PUBLIC;

-- How the verdicts, outcomes and grades occur together: without it the planner multiplies two
-- filters' shares, and for a combination that is rare (or absent) it walks the list's order
-- index end to end looking for the page, instead of reading the rarer filter's index.
CREATE STATISTICS site_devices_words (mcv)
    ON last_battery_verdict, last_lock_verdict, last_outcome, last_listing_grade
    FROM site_devices;

-- The devices already on the site.
SELECT site_rebuild();
