-- Site schema version 3: one device on the site however many stations read it. A station's
-- device row is matched to a site device by its IMEI, else by its make and serial (the rule a
-- station's own store holds its devices unique by); a device with neither stays its own.
-- Typed columns, kept by the server itself (a trigger on `records`), so site-wide lookups and
-- the quality queries use plain b-tree indexes rather than JSONB expressions.

-- The devices of the site: the identity as the first station that pushed it recorded it.
CREATE TABLE site_devices (
    device_key      text PRIMARY KEY,
    category        text NOT NULL,
    make            text NOT NULL,
    model           text NOT NULL,
    imei            text,
    serial          text,
    first_seen      text NOT NULL,
    first_station   uuid NOT NULL
);
CREATE INDEX site_devices_imei ON site_devices (imei) WHERE imei IS NOT NULL;
CREATE INDEX site_devices_serial ON site_devices (serial) WHERE serial IS NOT NULL;
CREATE INDEX site_devices_model ON site_devices (make, model, device_key);

-- Each station's device row, and the site device it is.
CREATE TABLE site_device_rows (
    station_id      uuid NOT NULL,
    device_id       text NOT NULL,
    device_key      text NOT NULL REFERENCES site_devices (device_key),
    PRIMARY KEY (station_id, device_id)
);
CREATE INDEX site_device_rows_key ON site_device_rows (device_key);

-- A station's intakes name their device by the station's device id.
CREATE INDEX records_intake_device ON records (station_id, (record ->> 'device_id'))
    WHERE entity = 'intake';

-- IMEI, else make and serial, else the station's own row.
CREATE FUNCTION site_device_key(station uuid, device_id text, record jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN COALESCE(record ->> 'imei', '') <> '' THEN 'imei:' || (record ->> 'imei')
        WHEN COALESCE(record ->> 'serial', '') <> ''
            THEN 'serial:' || (record ->> 'make') || ':' || (record ->> 'serial')
        ELSE 'row:' || station::text || ':' || device_id
    END
$$;

-- Run as the site's owner: station roles write `records` only, never these tables.
CREATE FUNCTION site_match_device() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    matched text := site_device_key(NEW.station_id, NEW.entity_id, NEW.record);
BEGIN
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
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION site_match_device() FROM PUBLIC;

CREATE TRIGGER records_match_device
    AFTER INSERT OR UPDATE OF record ON records
    FOR EACH ROW WHEN (NEW.entity = 'device')
    EXECUTE FUNCTION site_match_device();

-- The devices already replicated.
INSERT INTO site_devices (device_key, category, make, model, imei, serial, first_seen,
                          first_station)
SELECT DISTINCT ON (key) key, COALESCE(record ->> 'category', ''),
       COALESCE(record ->> 'make', ''), COALESCE(record ->> 'model', ''),
       NULLIF(record ->> 'imei', ''), NULLIF(record ->> 'serial', ''),
       COALESCE(record ->> 'first_seen', ''), station_id
FROM (SELECT site_device_key(station_id, entity_id, record) AS key, * FROM records
      WHERE entity = 'device') AS devices
ORDER BY key, seq;
INSERT INTO site_device_rows (station_id, device_id, device_key)
SELECT station_id, entity_id, site_device_key(station_id, entity_id, record)
FROM records WHERE entity = 'device';

-- Every intake of the site with the site device it read: a device read at two stations shows
-- both intakes under one key.
CREATE VIEW site_intakes AS
SELECT r.station_id,
       r.entity_id AS intake_id,
       d.device_key,
       r.record ->> 'device_id' AS station_device_id,
       r.record ->> 'started_at' AS started_at,
       r.record ->> 'finished_at' AS finished_at,
       r.record ->> 'operator' AS operator
FROM records r
JOIN site_device_rows d
  ON d.station_id = r.station_id AND d.device_id = r.record ->> 'device_id'
WHERE r.entity = 'intake';
