-- Schema version 13 (issue 17): trade-in customers, batches, their declared lines and receipts.
--
-- A customer's personal data (name, contact, address, VAT number) lives in ONE table,
-- customer_contacts, which is outside the hash-chained records: no audit digest covers it, so
-- `customer forget` can delete it without breaking the chain. Every chained record (customers,
-- batches, receipts) refers to the customer by id; the customers row itself holds only the id,
-- a pseudonym and the dates, and is what the audit log digests.
CREATE TABLE customers (
    id            TEXT PRIMARY KEY NOT NULL,
    pseudonym     TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    operator      TEXT NOT NULL,
    -- When the customer's personal data was deleted at their request (NULL: it is kept).
    forgotten_at  TEXT,
    station_id    TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE TRIGGER customers_kept BEFORE DELETE ON customers
BEGIN
    SELECT RAISE(ABORT, 'customers are referred to by evidence: forget their data instead');
END;

-- Personal data, not chained: deleted when the customer asks to be forgotten.
CREATE TABLE customer_contacts (
    customer_id  TEXT PRIMARY KEY NOT NULL REFERENCES customers (id),
    name         TEXT NOT NULL,
    email        TEXT,
    phone        TEXT,
    address      TEXT,
    vat          TEXT
) STRICT;

CREATE INDEX customer_contacts_name ON customer_contacts (name COLLATE NOCASE);

-- A batch a customer sent, declared by its manifest. The audit digest covers the row and its
-- lines. quote_date and quote_expiry change when the batch is re-quoted (audited).
CREATE TABLE batches (
    id             TEXT PRIMARY KEY NOT NULL,
    customer_id    TEXT NOT NULL REFERENCES customers (id),
    quote_date     TEXT NOT NULL,
    quote_expiry   TEXT NOT NULL,
    source_name    TEXT NOT NULL,
    source_sha256  TEXT NOT NULL,
    currency       TEXT NOT NULL,
    imported_at    TEXT NOT NULL,
    operator       TEXT NOT NULL,
    -- When the batch was closed (its report issued); open batches are checked for duplicates.
    closed_at      TEXT,
    station_id     TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE TRIGGER batches_kept BEFORE DELETE ON batches
BEGIN
    SELECT RAISE(ABORT, 'batches are evidence: they cannot be deleted');
END;

-- One declared device: the manifest's line as checked (line = the editor's line number).
CREATE TABLE batch_lines (
    batch_id        TEXT NOT NULL REFERENCES batches (id),
    line            INTEGER NOT NULL,
    imei            TEXT,
    serial          TEXT,
    category        TEXT,
    make            TEXT,
    model           TEXT,
    storage_gb      INTEGER,
    declared_grade  TEXT,
    quoted_cents    INTEGER,
    accessories     TEXT NOT NULL,
    customer_ref    TEXT,
    extra_json      TEXT NOT NULL,
    PRIMARY KEY (batch_id, line),
    CHECK (imei IS NOT NULL OR serial IS NOT NULL)
) STRICT, WITHOUT ROWID;

CREATE INDEX batch_lines_imei ON batch_lines (imei) WHERE imei IS NOT NULL;
CREATE INDEX batch_lines_serial ON batch_lines (serial COLLATE NOCASE) WHERE serial IS NOT NULL;

CREATE TRIGGER batch_lines_append_only_update BEFORE UPDATE ON batch_lines
BEGIN
    SELECT RAISE(ABORT, 'a declared line is evidence: it cannot be changed');
END;
CREATE TRIGGER batch_lines_append_only_delete BEFORE DELETE ON batch_lines
BEGIN
    SELECT RAISE(ABORT, 'a declared line is evidence: it cannot be deleted');
END;

-- One scan at receiving: the declared line it matched, or NULL for an extra device.
CREATE TABLE batch_receipts (
    id           TEXT PRIMARY KEY NOT NULL,
    batch_id     TEXT NOT NULL REFERENCES batches (id),
    line         INTEGER,
    code         TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    operator     TEXT NOT NULL,
    station_id   TEXT NOT NULL REFERENCES station (id),
    UNIQUE (batch_id, code)
) STRICT;

CREATE INDEX batch_receipts_batch ON batch_receipts (batch_id, received_at);

CREATE TRIGGER batch_receipts_append_only_update BEFORE UPDATE ON batch_receipts
BEGIN
    SELECT RAISE(ABORT, 'a receipt is evidence: it cannot be changed');
END;
CREATE TRIGGER batch_receipts_append_only_delete BEFORE DELETE ON batch_receipts
BEGIN
    SELECT RAISE(ABORT, 'a receipt is evidence: it cannot be deleted');
END;
