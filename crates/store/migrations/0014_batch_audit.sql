-- Schema version 14 (issue 17): the audit of a trade-in batch — what came in the box with each
-- received device, and the closing of a batch.

-- The accessories the auditor found with a received device (declared or extra), one record per
-- statement: append-only, the newest record for a receipt wins (like other evidence).
-- accessories: the domain's words separated by ';' ('' when the box held none).
CREATE TABLE batch_accessories (
    id           TEXT PRIMARY KEY NOT NULL,
    batch_id     TEXT NOT NULL REFERENCES batches (id),
    receipt_id   TEXT NOT NULL REFERENCES batch_receipts (id),
    accessories  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    operator     TEXT NOT NULL,
    station_id   TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE INDEX batch_accessories_batch ON batch_accessories (batch_id, receipt_id, recorded_at);

CREATE TRIGGER batch_accessories_append_only_update BEFORE UPDATE ON batch_accessories
BEGIN
    SELECT RAISE(ABORT, 'an accessories record is evidence: it cannot be changed');
END;
CREATE TRIGGER batch_accessories_append_only_delete BEFORE DELETE ON batch_accessories
BEGIN
    SELECT RAISE(ABORT, 'an accessories record is evidence: it cannot be deleted');
END;

-- Who closed a batch, when, and why when it was forced (closed while received devices were
-- still unaudited). batches.closed_at is set in the same transaction; a batch closes once.
CREATE TABLE batch_closures (
    id            TEXT PRIMARY KEY NOT NULL,
    batch_id      TEXT NOT NULL UNIQUE REFERENCES batches (id),
    closed_at     TEXT NOT NULL,
    operator      TEXT NOT NULL,
    -- The unaudited lines when it was closed, and the reason given to force it (NULL: nothing
    -- was left unaudited).
    unaudited     INTEGER NOT NULL,
    force_reason  TEXT,
    station_id    TEXT NOT NULL REFERENCES station (id),
    CHECK (unaudited = 0 OR force_reason IS NOT NULL)
) STRICT;

CREATE TRIGGER batch_closures_append_only_update BEFORE UPDATE ON batch_closures
BEGIN
    SELECT RAISE(ABORT, 'a closure is evidence: it cannot be changed');
END;
CREATE TRIGGER batch_closures_append_only_delete BEFORE DELETE ON batch_closures
BEGIN
    SELECT RAISE(ABORT, 'a closure is evidence: it cannot be deleted');
END;

-- A closed batch receives nothing more.
CREATE TRIGGER batch_receipts_closed BEFORE INSERT ON batch_receipts
WHEN (SELECT closed_at FROM batches WHERE id = NEW.batch_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the batch is closed: it receives nothing more');
END;
CREATE TRIGGER batch_accessories_closed BEFORE INSERT ON batch_accessories
WHEN (SELECT closed_at FROM batches WHERE id = NEW.batch_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the batch is closed: it receives nothing more');
END;
