-- Schema version 10: operators' PINs, the record of every PIN attempt, and operators' confirmations
-- of a lock verdict the bench could not settle.
--
-- A PIN is kept only as an Argon2 hash in the PHC string format ($argon2id$v=19$m=…,t=…,p=…$salt$hash);
-- the application hashes and checks it, the store keeps the string. One row per operator that has
-- a PIN; setting it again replaces the row, and the audit log keeps each change.

CREATE TABLE operator_pins (
    operator_id TEXT PRIMARY KEY NOT NULL REFERENCES operators (id),
    pin_hash    TEXT NOT NULL,
    set_at      TEXT NOT NULL,
    set_by      TEXT NOT NULL,
    station_id  TEXT NOT NULL REFERENCES station (id)
) STRICT;

-- Every time a PIN was given, right or wrong, and every attempt refused because the operator was
-- locked after too many wrong ones. History: never changed, never deleted.
CREATE TABLE login_attempts (
    id          TEXT PRIMARY KEY NOT NULL,
    operator_id TEXT NOT NULL REFERENCES operators (id),
    at          TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'wrong', 'locked')),
    station_id  TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE INDEX login_attempts_operator ON login_attempts (operator_id, at DESC, id DESC);

CREATE TRIGGER login_attempts_append_only_update BEFORE UPDATE ON login_attempts
BEGIN
    SELECT RAISE(ABORT, 'login attempts are history: they cannot be changed');
END;
CREATE TRIGGER login_attempts_append_only_delete BEFORE DELETE ON login_attempts
BEGIN
    SELECT RAISE(ABORT, 'login attempts are history: they cannot be deleted');
END;

-- An operator's word on a lock verdict the bench left `unknown`: clear or blocked, with a note.
-- It belongs to the intake whose reading was unknown; a new intake reads the locks again. The
-- latest confirmation of an intake is the one grading uses.
CREATE TABLE lock_confirmations (
    id           TEXT PRIMARY KEY NOT NULL,
    device_id    TEXT NOT NULL REFERENCES devices (id),
    intake_id    TEXT NOT NULL REFERENCES intakes (id),
    verdict      TEXT NOT NULL CHECK (verdict IN ('clear', 'blocked')),
    note         TEXT NOT NULL,
    operator     TEXT NOT NULL,
    confirmed_at TEXT NOT NULL,
    station_id   TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE INDEX lock_confirmations_intake ON lock_confirmations (intake_id, confirmed_at DESC, id DESC);
CREATE INDEX lock_confirmations_device ON lock_confirmations (device_id, confirmed_at DESC);

CREATE TRIGGER lock_confirmations_append_only_update BEFORE UPDATE ON lock_confirmations
BEGIN
    SELECT RAISE(ABORT, 'lock confirmations are history: record a new one instead of changing one');
END;
CREATE TRIGGER lock_confirmations_append_only_delete BEFORE DELETE ON lock_confirmations
BEGIN
    SELECT RAISE(ABORT, 'lock confirmations are history: they cannot be deleted');
END;
