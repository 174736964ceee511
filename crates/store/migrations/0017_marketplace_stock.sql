-- Schema version 17 (issue 18): which graded device stocks which marketplace listing.
--
-- A device graded sellable while a marketplace is configured stocks the listing of its SKU
-- (derived from model, storage, colour and grade by the configured template); a later grade
-- moves it to another SKU or, unsellable, out of stock. The listing's quantity sent to the
-- marketplace is the number of rows of its SKU, written to the outbox in the same transaction
-- as the grade. Working state derived from the (audited) grades: not itself chained.
CREATE TABLE marketplace_stock (
    device_id   TEXT PRIMARY KEY NOT NULL REFERENCES devices (id),
    sku         TEXT NOT NULL,
    grade_id    TEXT NOT NULL REFERENCES grades (id),
    listed_at   TEXT NOT NULL,
    station_id  TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE INDEX marketplace_stock_sku ON marketplace_stock (sku);
