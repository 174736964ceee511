-- Schema version 5: erasures of phones and tablets.
--
-- Two new kinds of erasure go into the same table as drives and images, so a
-- certificate treats every erasure alike:
--
--   target_kind 'bench'   the bench erased the device in one of its slots
--                         (Bench Protocol v1 `ERASE slot factory_reset|
--                         crypto_erase`); target is '<bench serial>/slot N'.
--                         'verified' means the bench reported done=ok.
--   target_kind 'manual'  the operator reset the device by hand, guided step
--                         by step (method 'manual_factory_reset'); target is
--                         'manual/<platform>'. 'verified' means every
--                         required step was confirmed.
--
-- Both name the device (device_id) whose intake identified it; drive_json
-- holds that device identity. details_json holds what is particular to the
-- kind: the bench, slot, last progress, outcome detail and raw protocol
-- lines of a bench erase, or the checklist and each confirmation (step,
-- answer, time, operator) of a manual reset. It is NULL for drives and
-- images, and the audit digest leaves it out while it is NULL, so the
-- erasures recorded before this version keep the digests they were audited
-- with.
--
-- SQLite cannot change a CHECK constraint in place: the table is made again
-- under a new name, every row copied as it is, the old table dropped and the
-- new one renamed, then its indexes and triggers made again. Dropping a table
-- fires none of its triggers, so the append-only delete trigger does not
-- stop the copy from replacing it.

CREATE TABLE erasures_v5 (
    id                  TEXT PRIMARY KEY NOT NULL,
    station_id          TEXT NOT NULL REFERENCES station (id),
    -- The device erased or the device the drive belongs to; always named
    -- for phones and tablets.
    device_id           TEXT REFERENCES devices (id),
    -- The device path, image file path, '<bench serial>/slot N' or
    -- 'manual/<platform>'.
    target              TEXT NOT NULL,
    target_kind         TEXT NOT NULL
                        CHECK (target_kind IN ('image', 'block', 'bench', 'manual')),
    method              TEXT NOT NULL
                        CHECK (method IN ('zero', 'random', 'dod3', 'factory_reset',
                                          'crypto_erase', 'manual_factory_reset')),
    passes              INTEGER NOT NULL CHECK (passes >= 1),
    seed                TEXT,
    -- 'full' or 'sample:PCT' for drives; 'bench' (the bench's own report)
    -- or 'operator' (the operator's confirmations) for phones and tablets.
    verify              TEXT NOT NULL,
    verify_seed         TEXT,
    status              TEXT NOT NULL
                        CHECK (status IN ('running', 'verified', 'failed', 'interrupted')),
    passes_completed    INTEGER NOT NULL DEFAULT 0,
    bytes_written       INTEGER NOT NULL DEFAULT 0 CHECK (bytes_written >= 0),
    bytes_verified      INTEGER NOT NULL DEFAULT 0 CHECK (bytes_verified >= 0),
    errors_json         TEXT NOT NULL DEFAULT '[]',
    fault_count         INTEGER NOT NULL DEFAULT 0,
    note                TEXT,
    started_at          TEXT NOT NULL,
    finished_at         TEXT,
    duration_s          REAL,
    throughput_mib_s    REAL,
    tool_version        TEXT NOT NULL,
    operator            TEXT NOT NULL,
    drive_json          TEXT NOT NULL,
    drive_model         TEXT,
    drive_serial        TEXT,
    size_bytes          INTEGER NOT NULL CHECK (size_bytes >= 0),
    pid                 INTEGER NOT NULL,
    process_tag         TEXT NOT NULL,
    details_json        TEXT CHECK (details_json IS NULL OR json_valid(details_json)),
    CHECK ((status = 'running') = (finished_at IS NULL)),
    -- Each kind has its own methods; phones and tablets always name their
    -- device and carry their details, drives and images never carry any.
    CHECK (CASE target_kind
        WHEN 'bench' THEN method IN ('factory_reset', 'crypto_erase')
                          AND device_id IS NOT NULL AND details_json IS NOT NULL
        WHEN 'manual' THEN method = 'manual_factory_reset'
                          AND device_id IS NOT NULL AND details_json IS NOT NULL
        ELSE method IN ('zero', 'random', 'dod3') AND details_json IS NULL
    END)
) STRICT;

INSERT INTO erasures_v5 (id, station_id, device_id, target, target_kind, method, passes, seed,
        verify, verify_seed, status, passes_completed, bytes_written, bytes_verified,
        errors_json, fault_count, note, started_at, finished_at, duration_s, throughput_mib_s,
        tool_version, operator, drive_json, drive_model, drive_serial, size_bytes, pid,
        process_tag)
    SELECT id, station_id, device_id, target, target_kind, method, passes, seed,
        verify, verify_seed, status, passes_completed, bytes_written, bytes_verified,
        errors_json, fault_count, note, started_at, finished_at, duration_s, throughput_mib_s,
        tool_version, operator, drive_json, drive_model, drive_serial, size_bytes, pid,
        process_tag
    FROM erasures;

DROP TABLE erasures;
ALTER TABLE erasures_v5 RENAME TO erasures;

CREATE INDEX erasures_device ON erasures (device_id) WHERE device_id IS NOT NULL;
CREATE INDEX erasures_running ON erasures (status) WHERE status = 'running';
CREATE INDEX erasures_serial ON erasures (drive_serial) WHERE drive_serial IS NOT NULL;
CREATE INDEX erasures_started ON erasures (started_at);

-- A finished erasure is history: it cannot be changed or deleted, and a
-- running one can only be finished (and, for a phone or tablet, have its
-- details filled in as the erasure goes).
CREATE TRIGGER erasures_finish_once BEFORE UPDATE ON erasures
WHEN OLD.status <> 'running'
BEGIN
    SELECT RAISE(ABORT, 'erasures are history: a finished erasure cannot be changed');
END;
CREATE TRIGGER erasures_keep_identity BEFORE UPDATE ON erasures
WHEN NEW.id <> OLD.id OR NEW.target <> OLD.target OR NEW.method <> OLD.method
  OR NEW.started_at <> OLD.started_at OR NEW.operator <> OLD.operator
  OR NEW.drive_json <> OLD.drive_json OR NEW.station_id <> OLD.station_id
  OR NEW.seed IS NOT OLD.seed OR NEW.target_kind <> OLD.target_kind
  OR NEW.device_id IS NOT OLD.device_id
  OR (OLD.details_json IS NULL) <> (NEW.details_json IS NULL)
  OR json_extract(NEW.details_json, '$.kind') IS NOT json_extract(OLD.details_json, '$.kind')
BEGIN
    SELECT RAISE(ABORT, 'erasures are history: only the outcome of a running erasure can be written');
END;
CREATE TRIGGER erasures_append_only_delete BEFORE DELETE ON erasures
BEGIN
    SELECT RAISE(ABORT, 'erasures are history: they cannot be deleted');
END;
