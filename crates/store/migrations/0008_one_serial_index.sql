-- Schema version 8: one index on device serials instead of two.
--
-- Version 1 kept a device's serial unique per make in
-- devices_unique_make_serial (make, serial) and added devices_serial
-- (serial) for serials typed in without the make. Every new device wrote
-- an entry into both, each at a random place in an index far larger than
-- the page cache once a station has a million devices. With the serial
-- first, one unique index does both jobs: the same rule (a serial is
-- unique per make) and a prefix for lookups by serial alone.

CREATE UNIQUE INDEX devices_unique_serial_make ON devices (serial, make)
    WHERE serial IS NOT NULL;
DROP INDEX devices_unique_make_serial;
DROP INDEX devices_serial;
