-- Schema version 1: station, operators, benches, devices and their intakes,
-- and the hash-chained audit log.
--
-- Conventions, so the same data can later be replicated to a site-wide
-- PostgreSQL: ids are UUID v7 as lowercase hyphenated text; timestamps are
-- RFC 3339 UTC text with nine fractional digits, so text order is time order;
-- every top-level record names the station it was made on.

CREATE TABLE station (
    id          TEXT PRIMARY KEY NOT NULL,
    hostname    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    -- Rows replicated from other stations will carry 0; exactly one is this one.
    is_local    INTEGER NOT NULL DEFAULT 1 CHECK (is_local IN (0, 1))
) STRICT;

CREATE UNIQUE INDEX station_one_local ON station (is_local) WHERE is_local = 1;

CREATE TABLE operators (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role        TEXT NOT NULL
                CHECK (role IN ('technician', 'auditor', 'quality_manager', 'admin')),
    disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at  TEXT NOT NULL,
    station_id  TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE TABLE benches (
    id          TEXT PRIMARY KEY NOT NULL,
    serial      TEXT NOT NULL UNIQUE,
    vendor      TEXT NOT NULL,
    model       TEXT NOT NULL,
    fw          TEXT NOT NULL,
    last_port   TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    station_id  TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE TABLE devices (
    id          TEXT PRIMARY KEY NOT NULL,
    category    TEXT NOT NULL
                CHECK (category IN ('phone', 'tablet', 'laptop', 'desktop', 'monitor')),
    make        TEXT NOT NULL,
    model       TEXT NOT NULL,
    model_code  TEXT,
    serial      TEXT,
    imei        TEXT,
    imei_valid  INTEGER CHECK (imei_valid IN (0, 1)),
    first_seen  TEXT NOT NULL,
    station_id  TEXT NOT NULL REFERENCES station (id)
) STRICT;

-- A device without an IMEI or serial cannot be recognised again, so only
-- the rows that have one are held unique.
CREATE UNIQUE INDEX devices_unique_imei ON devices (imei) WHERE imei IS NOT NULL;
CREATE UNIQUE INDEX devices_unique_make_serial ON devices (make, serial) WHERE serial IS NOT NULL;
-- Serial lookups typed in without the make.
CREATE INDEX devices_serial ON devices (serial) WHERE serial IS NOT NULL;

CREATE TABLE intakes (
    id              TEXT PRIMARY KEY NOT NULL,
    device_id       TEXT NOT NULL REFERENCES devices (id),
    bench_id        TEXT NOT NULL REFERENCES benches (id),
    slot            INTEGER NOT NULL CHECK (slot >= 1),
    started_at      TEXT NOT NULL,
    finished_at     TEXT NOT NULL,
    operator        TEXT NOT NULL,
    station_id      TEXT NOT NULL REFERENCES station (id),
    -- The bench as it was during this intake; the benches row only keeps the latest.
    bench_json      TEXT NOT NULL,
    identity_json   TEXT NOT NULL,
    battery_json    TEXT NOT NULL,
    lock_json       TEXT NOT NULL,
    -- Copies of values inside the JSON, so the quality manager's list can
    -- filter and sort without parsing it.
    battery_verdict TEXT NOT NULL,
    lock_verdict    TEXT NOT NULL,
    soh_pct         REAL,
    cycles          INTEGER
) STRICT;

CREATE INDEX intakes_device_latest ON intakes (device_id, started_at DESC, id DESC);
CREATE INDEX intakes_started ON intakes (started_at);
CREATE INDEX intakes_battery_verdict ON intakes (battery_verdict);
CREATE INDEX intakes_lock_verdict ON intakes (lock_verdict);
CREATE INDEX intakes_operator ON intakes (operator);

CREATE TABLE intake_tests (
    intake_id   TEXT NOT NULL REFERENCES intakes (id),
    seq         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'skip')),
    detail      TEXT,
    PRIMARY KEY (intake_id, seq)
) STRICT;

CREATE TABLE intake_evidence (
    intake_id   TEXT NOT NULL REFERENCES intakes (id),
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    direction   TEXT NOT NULL CHECK (direction IN ('host', 'bench')),
    line        TEXT NOT NULL,
    PRIMARY KEY (intake_id, seq)
) STRICT;

CREATE TABLE audit_log (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    at              TEXT NOT NULL,
    station_id      TEXT NOT NULL,
    operator        TEXT NOT NULL,
    action          TEXT NOT NULL,
    entity          TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    before_digest   TEXT,
    after_digest    TEXT,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
) STRICT;

CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, seq);

-- History is appended, never rewritten. These triggers stop accidental
-- edits through any SQL client; the hash chain catches deliberate ones.
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed');
END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be deleted');
END;
CREATE TRIGGER intakes_append_only_update BEFORE UPDATE ON intakes
BEGIN
    SELECT RAISE(ABORT, 'intakes are history: record a new intake instead of changing one');
END;
CREATE TRIGGER intakes_append_only_delete BEFORE DELETE ON intakes
BEGIN
    SELECT RAISE(ABORT, 'intakes are history: they cannot be deleted');
END;
CREATE TRIGGER intake_tests_append_only_update BEFORE UPDATE ON intake_tests
BEGIN
    SELECT RAISE(ABORT, 'intake test results are history: they cannot be changed');
END;
CREATE TRIGGER intake_tests_append_only_delete BEFORE DELETE ON intake_tests
BEGIN
    SELECT RAISE(ABORT, 'intake test results are history: they cannot be deleted');
END;
CREATE TRIGGER intake_evidence_append_only_update BEFORE UPDATE ON intake_evidence
BEGIN
    SELECT RAISE(ABORT, 'intake evidence is history: it cannot be changed');
END;
CREATE TRIGGER intake_evidence_append_only_delete BEFORE DELETE ON intake_evidence
BEGIN
    SELECT RAISE(ABORT, 'intake evidence is history: it cannot be deleted');
END;

-- "Current" state of a device is derived, never stored: its latest intake.
CREATE VIEW device_current AS
SELECT
    d.id              AS id,
    d.category        AS category,
    d.make            AS make,
    d.model           AS model,
    d.model_code      AS model_code,
    d.serial          AS serial,
    d.imei            AS imei,
    d.imei_valid      AS imei_valid,
    d.first_seen      AS first_seen,
    d.station_id      AS station_id,
    i.id              AS last_intake_id,
    i.started_at      AS last_intake_at,
    i.operator        AS last_operator,
    i.battery_verdict AS battery_verdict,
    i.soh_pct         AS soh_pct,
    i.cycles          AS cycles,
    i.lock_verdict    AS lock_verdict,
    (SELECT COUNT(*) FROM intakes c WHERE c.device_id = d.id) AS intake_count
FROM devices d
LEFT JOIN intakes i ON i.id = (
    SELECT x.id FROM intakes x
    WHERE x.device_id = d.id
    ORDER BY x.started_at DESC, x.id DESC
    LIMIT 1
);
