-- Schema version 11: optional photos of a device's cosmetic zones.
--
-- A photo's bytes are kept in the database, as the issued PDFs are: the station's one file holds
-- every record and its evidence, so a backup or a restore carries the photos with the grades
-- they illustrate, a photo and its audit entry are written in one transaction, and no path can
-- lead a reader outside the station's data. The audit digest covers the whole row, bytes
-- included, so a changed photo fails the database check. PNG and JPEG only, at most 10 MiB (the
-- application checks the magic bytes and the size before writing; the columns hold it to that).
-- History: never changed, never deleted.
CREATE TABLE photos (
    id          TEXT PRIMARY KEY NOT NULL,
    device_id   TEXT NOT NULL REFERENCES devices (id),
    zone        TEXT NOT NULL,
    taken_at    TEXT NOT NULL,
    operator    TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg')),
    size_bytes  INTEGER NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
    sha256      TEXT NOT NULL,
    bytes       BLOB NOT NULL,
    station_id  TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE INDEX photos_device ON photos (device_id, taken_at, id);

CREATE TRIGGER photos_append_only_update BEFORE UPDATE ON photos
BEGIN
    SELECT RAISE(ABORT, 'photos are evidence: add a new one instead of changing one');
END;
CREATE TRIGGER photos_append_only_delete BEFORE DELETE ON photos
BEGIN
    SELECT RAISE(ABORT, 'photos are evidence: they cannot be deleted');
END;
