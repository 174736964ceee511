-- Schema version 6: signed documents (erasure and destruction certificates,
-- device audit reports), the destructions they certify, the organisation's
-- public signing keys, and workstation settings.
--
-- A document is stored exactly as signed (the JSON envelope) and as first
-- printed (the sealed PDF), so it can be exported again byte for byte.
-- Nothing about it can change afterwards except being voided, once.

CREATE TABLE signing_keys (
    -- The audit log files records by UUID; the key id is how people name it.
    id          TEXT PRIMARY KEY NOT NULL,
    key_id      TEXT NOT NULL UNIQUE,
    algorithm   TEXT NOT NULL CHECK (algorithm = 'Ed25519'),
    public_key  TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    station_id  TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE TRIGGER signing_keys_immutable BEFORE UPDATE ON signing_keys
BEGIN
    SELECT RAISE(ABORT, 'signing keys are history: a published public key cannot be changed');
END;
CREATE TRIGGER signing_keys_kept BEFORE DELETE ON signing_keys
BEGIN
    SELECT RAISE(ABORT, 'signing keys are history: old documents are verified with them');
END;

CREATE TABLE destructions (
    id              TEXT PRIMARY KEY NOT NULL,
    station_id      TEXT NOT NULL REFERENCES station (id),
    device_id       TEXT REFERENCES devices (id),
    -- make, model, serial, media type, size... as JSON, with a copy of the
    -- serial people search by.
    media_json      TEXT NOT NULL,
    media_serial    TEXT,
    method          TEXT NOT NULL
                    CHECK (method IN ('shred', 'punch', 'degauss', 'crush', 'disintegrate')),
    method_details  TEXT,
    destroyed_at    TEXT NOT NULL,
    operator        TEXT NOT NULL,
    witness_json    TEXT NOT NULL,
    -- [{file_name, sha256, size_bytes}] of each photo or video.
    evidence_json   TEXT NOT NULL,
    destination     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
) STRICT;

CREATE INDEX destructions_device ON destructions (device_id) WHERE device_id IS NOT NULL;
CREATE INDEX destructions_serial ON destructions (media_serial) WHERE media_serial IS NOT NULL;

CREATE TRIGGER destructions_immutable BEFORE UPDATE ON destructions
BEGIN
    SELECT RAISE(ABORT, 'destructions are history: they cannot be changed');
END;
CREATE TRIGGER destructions_kept BEFORE DELETE ON destructions
BEGIN
    SELECT RAISE(ABORT, 'destructions are history: they cannot be deleted');
END;

CREATE TABLE certificates (
    id              TEXT PRIMARY KEY NOT NULL,
    station_id      TEXT NOT NULL REFERENCES station (id),
    kind            TEXT NOT NULL
                    CHECK (kind IN ('erasure_certificate', 'destruction_certificate', 'device_report')),
    erasure_id      TEXT REFERENCES erasures (id),
    destruction_id  TEXT REFERENCES destructions (id),
    device_id       TEXT REFERENCES devices (id),
    lang            TEXT NOT NULL CHECK (lang IN ('en', 'fr')),
    key_id          TEXT NOT NULL REFERENCES signing_keys (key_id),
    signed_json     TEXT NOT NULL,
    pdf             BLOB NOT NULL,
    pdf_sha256      TEXT NOT NULL,
    issued_at       TEXT NOT NULL,
    issued_by       TEXT NOT NULL,
    voided_at       TEXT,
    voided_by       TEXT,
    void_reason     TEXT,
    CHECK ((kind = 'erasure_certificate') = (erasure_id IS NOT NULL)),
    CHECK ((kind = 'destruction_certificate') = (destruction_id IS NOT NULL)),
    CHECK ((voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL))
) STRICT;

CREATE INDEX certificates_erasure ON certificates (erasure_id) WHERE erasure_id IS NOT NULL;
CREATE INDEX certificates_device ON certificates (device_id) WHERE device_id IS NOT NULL;
CREATE INDEX certificates_issued ON certificates (issued_at);

-- A signed document is never edited; voiding is the one change, made once.
CREATE TRIGGER certificates_void_only BEFORE UPDATE ON certificates
WHEN OLD.voided_at IS NOT NULL
  OR NEW.id <> OLD.id OR NEW.station_id <> OLD.station_id OR NEW.kind <> OLD.kind
  OR NEW.erasure_id IS NOT OLD.erasure_id OR NEW.destruction_id IS NOT OLD.destruction_id
  OR NEW.device_id IS NOT OLD.device_id OR NEW.lang <> OLD.lang OR NEW.key_id <> OLD.key_id
  OR NEW.signed_json <> OLD.signed_json OR NEW.pdf <> OLD.pdf OR NEW.pdf_sha256 <> OLD.pdf_sha256
  OR NEW.issued_at <> OLD.issued_at OR NEW.issued_by <> OLD.issued_by
BEGIN
    SELECT RAISE(ABORT, 'certificates are signed: nothing about one can change but being voided, once');
END;
CREATE TRIGGER certificates_kept BEFORE DELETE ON certificates
BEGIN
    SELECT RAISE(ABORT, 'certificates are history: a voided one stays listed');
END;

-- Organisation details and printing options (organisation.name, ...).
CREATE TABLE settings (
    id          TEXT PRIMARY KEY NOT NULL,
    key         TEXT NOT NULL UNIQUE,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    station_id  TEXT NOT NULL REFERENCES station (id)
) STRICT;
