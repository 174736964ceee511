-- Schema version 19 (issue 18): devices shipped for a marketplace order line.
--
-- A shipment is evidence: which device left for which order line, when and by whom, and the
-- identity (IMEI, else serial number) the marketplace is told for that line. The marketplace
-- never lets a line's IMEI change once set, so a line is shipped with one device only, and a
-- device leaves once (a warranty return will record its coming back). The order line's identity
-- and the listing's new quantity go to the outbox in the same transaction.
CREATE TABLE shipments (
    id              TEXT PRIMARY KEY NOT NULL,
    device_id       TEXT NOT NULL REFERENCES devices (id),
    orderline       TEXT NOT NULL UNIQUE,
    identity_field  TEXT NOT NULL CHECK (identity_field IN ('imei', 'serial_number')),
    identity_value  TEXT NOT NULL,
    grade_id        TEXT NOT NULL REFERENCES grades (id),
    shipped_at      TEXT NOT NULL,
    operator        TEXT NOT NULL,
    station_id      TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE UNIQUE INDEX shipments_device ON shipments (device_id);

CREATE TRIGGER shipments_kept BEFORE UPDATE ON shipments
BEGIN
    SELECT RAISE(ABORT, 'shipments are evidence: they are never changed');
END;

CREATE TRIGGER shipments_not_deleted BEFORE DELETE ON shipments
BEGIN
    SELECT RAISE(ABORT, 'shipments are evidence: they are never deleted');
END;
