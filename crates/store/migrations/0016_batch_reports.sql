-- Schema version 16 (issue 17): a trade-in batch's signed audit report is an issued document
-- like a certificate (listed, exported, verified and voided the same way), of kind
-- 'batch_report'. Its batch is named in its signed data.
--
-- SQLite cannot change a CHECK constraint in place, so the certificates table is made again
-- with the same columns in the same order (the audit log's digests of its rows, taken over
-- `SELECT *`, stay the same), its rows copied back, and its indexes and triggers re-made.
-- certificate_replacements refers to certificates by id: foreign keys are checked at commit,
-- when every row is back (dropping a table does not fire its delete triggers).
PRAGMA defer_foreign_keys = ON;

CREATE TABLE certificates_before_v16 AS SELECT * FROM certificates;
DROP TABLE certificates;

CREATE TABLE certificates (
    id              TEXT PRIMARY KEY NOT NULL,
    station_id      TEXT NOT NULL REFERENCES station (id),
    kind            TEXT NOT NULL
                    CHECK (kind IN ('erasure_certificate', 'destruction_certificate', 'device_report',
                                    'batch_report')),
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

INSERT INTO certificates SELECT * FROM certificates_before_v16;
DROP TABLE certificates_before_v16;

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
