-- Schema version 12: a technician's answer over a bench test that failed, and a certificate
-- reissued to replace another.
--
-- New tables rather than new columns: the audit digests of grades and certificates cover their
-- whole rows (`SELECT *`), so a column added to those tables would change the digest of every
-- record already written. History: never changed, never deleted.

-- A checklist item the bench failed and the technician answered otherwise (pass or n/a): both
-- are kept, with who answered and when, beside the grade that was decided from the answer.
CREATE TABLE checklist_overrides (
    id          TEXT PRIMARY KEY NOT NULL,
    grade_id    TEXT NOT NULL REFERENCES grades (id),
    device_id   TEXT NOT NULL REFERENCES devices (id),
    intake_id   TEXT NOT NULL REFERENCES intakes (id),
    item        TEXT NOT NULL,
    bench       TEXT NOT NULL CHECK (bench = 'fail'),
    answer      TEXT NOT NULL CHECK (answer IN ('pass', 'na')),
    operator    TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    station_id  TEXT NOT NULL REFERENCES station (id),
    UNIQUE (grade_id, item)
) STRICT;

CREATE INDEX checklist_overrides_device ON checklist_overrides (device_id, recorded_at, id);

CREATE TRIGGER checklist_overrides_append_only_update BEFORE UPDATE ON checklist_overrides
BEGIN
    SELECT RAISE(ABORT, 'checklist overrides are history: grade the device again instead of changing one');
END;
CREATE TRIGGER checklist_overrides_append_only_delete BEFORE DELETE ON checklist_overrides
BEGIN
    SELECT RAISE(ABORT, 'checklist overrides are history: they cannot be deleted');
END;

-- A certificate issued again for the same erasure: the new one names the one it replaces and
-- why. The first stays valid; each certificate is replaced at most once.
CREATE TABLE certificate_replacements (
    id             TEXT PRIMARY KEY NOT NULL,
    certificate_id TEXT NOT NULL UNIQUE REFERENCES certificates (id),
    replaces_id    TEXT NOT NULL UNIQUE REFERENCES certificates (id),
    reason         TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    operator       TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    station_id     TEXT NOT NULL REFERENCES station (id),
    CHECK (certificate_id <> replaces_id)
) STRICT;

CREATE TRIGGER certificate_replacements_append_only_update BEFORE UPDATE ON certificate_replacements
BEGIN
    SELECT RAISE(ABORT, 'certificate replacements are history: they cannot be changed');
END;
CREATE TRIGGER certificate_replacements_append_only_delete BEFORE DELETE ON certificate_replacements
BEGIN
    SELECT RAISE(ABORT, 'certificate replacements are history: they cannot be deleted');
END;
