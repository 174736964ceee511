-- Schema version 3: erasures of drives and image files.
--
-- An erasure is recorded as `running` before the first byte is written, and
-- finished exactly once: `verified`, `failed` or `interrupted`. A record that
-- is still `running` while its process is gone (crash, power cut, kill) is
-- marked `interrupted` on the next open. Only a verified erasure can back a
-- certificate.

CREATE TABLE erasures (
    id                  TEXT PRIMARY KEY NOT NULL,
    station_id          TEXT NOT NULL REFERENCES station (id),
    -- The device the drive belongs to, when the operator named one.
    device_id           TEXT REFERENCES devices (id),
    -- The device path or image file path.
    target              TEXT NOT NULL,
    target_kind         TEXT NOT NULL CHECK (target_kind IN ('image', 'block')),
    method              TEXT NOT NULL CHECK (method IN ('zero', 'random', 'dod3')),
    passes              INTEGER NOT NULL CHECK (passes >= 1),
    -- Hex key of the random stream, so the verification can be repeated.
    seed                TEXT,
    -- 'full' or 'sample:PCT'; a sample's blocks come from verify_seed.
    verify              TEXT NOT NULL,
    verify_seed         TEXT,
    status              TEXT NOT NULL
                        CHECK (status IN ('running', 'verified', 'failed', 'interrupted')),
    passes_completed    INTEGER NOT NULL DEFAULT 0,
    bytes_written       INTEGER NOT NULL DEFAULT 0 CHECK (bytes_written >= 0),
    bytes_verified      INTEGER NOT NULL DEFAULT 0 CHECK (bytes_verified >= 0),
    -- JSON array of {kind, pass, offset, length, detail}; fault_count counts
    -- them all, including any beyond those kept.
    errors_json         TEXT NOT NULL DEFAULT '[]',
    fault_count         INTEGER NOT NULL DEFAULT 0,
    -- Why it failed or was interrupted, in words.
    note                TEXT,
    started_at          TEXT NOT NULL,
    finished_at         TEXT,
    duration_s          REAL,
    throughput_mib_s    REAL,
    tool_version        TEXT NOT NULL,
    operator            TEXT NOT NULL,
    -- Identity from sysfs (model, serial, transport, rotational, ...) as JSON,
    -- with copies of the fields people search by.
    drive_json          TEXT NOT NULL,
    drive_model         TEXT,
    drive_serial        TEXT,
    size_bytes          INTEGER NOT NULL CHECK (size_bytes >= 0),
    -- The process doing the erasure, to tell a live run from a dead one.
    pid                 INTEGER NOT NULL,
    process_tag         TEXT NOT NULL,
    CHECK ((status = 'running') = (finished_at IS NULL))
) STRICT;

CREATE INDEX erasures_device ON erasures (device_id) WHERE device_id IS NOT NULL;
CREATE INDEX erasures_running ON erasures (status) WHERE status = 'running';
CREATE INDEX erasures_serial ON erasures (drive_serial) WHERE drive_serial IS NOT NULL;
CREATE INDEX erasures_started ON erasures (started_at);

-- A finished erasure is history: it cannot be changed or deleted, and a
-- running one can only be finished.
CREATE TRIGGER erasures_finish_once BEFORE UPDATE ON erasures
WHEN OLD.status <> 'running'
BEGIN
    SELECT RAISE(ABORT, 'erasures are history: a finished erasure cannot be changed');
END;
CREATE TRIGGER erasures_keep_identity BEFORE UPDATE ON erasures
WHEN NEW.id <> OLD.id OR NEW.target <> OLD.target OR NEW.method <> OLD.method
  OR NEW.started_at <> OLD.started_at OR NEW.operator <> OLD.operator
  OR NEW.drive_json <> OLD.drive_json OR NEW.station_id <> OLD.station_id
  OR NEW.seed IS NOT OLD.seed
BEGIN
    SELECT RAISE(ABORT, 'erasures are history: only the outcome of a running erasure can be written');
END;
CREATE TRIGGER erasures_append_only_delete BEFORE DELETE ON erasures
BEGIN
    SELECT RAISE(ABORT, 'erasures are history: they cannot be deleted');
END;
