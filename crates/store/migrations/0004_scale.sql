-- Schema version 4: a station with a million devices.
--
-- 1. Indexes for the quality manager's device list. The list walks intakes
--    newest first (all of them, or those of one verdict or one operator) and
--    keeps each device's latest, so a page of 100 reads about a page of index
--    entries instead of every device. For that the index must hold the whole
--    sort key, (started_at, id), after the filtered column. Each new index
--    replaces the one-column index of the same name, which it starts with.

DROP INDEX intakes_started;
DROP INDEX intakes_battery_verdict;
DROP INDEX intakes_lock_verdict;
DROP INDEX intakes_operator;

CREATE INDEX intakes_started ON intakes (started_at, id);
CREATE INDEX intakes_battery_verdict ON intakes (battery_verdict, started_at, id);
CREATE INDEX intakes_lock_verdict ON intakes (lock_verdict, started_at, id);
CREATE INDEX intakes_operator ON intakes (operator, started_at, id);

-- 2. Test results and evidence lines stored once, in their primary key's
--    order: as WITHOUT ROWID tables they need no second b-tree for the key,
--    which halves the rows written per intake. Same columns and values, so
--    the audit digests of intakes already recorded do not change. Dropping a
--    table fires none of its triggers; they are made again below.

CREATE TABLE intake_tests_v4 (
    intake_id   TEXT NOT NULL REFERENCES intakes (id),
    seq         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'skip')),
    detail      TEXT,
    PRIMARY KEY (intake_id, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO intake_tests_v4 (intake_id, seq, name, outcome, detail)
    SELECT intake_id, seq, name, outcome, detail FROM intake_tests;
DROP TABLE intake_tests;
ALTER TABLE intake_tests_v4 RENAME TO intake_tests;

CREATE TABLE intake_evidence_v4 (
    intake_id   TEXT NOT NULL REFERENCES intakes (id),
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    direction   TEXT NOT NULL CHECK (direction IN ('host', 'bench')),
    line        TEXT NOT NULL,
    PRIMARY KEY (intake_id, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO intake_evidence_v4 (intake_id, seq, at, direction, line)
    SELECT intake_id, seq, at, direction, line FROM intake_evidence;
DROP TABLE intake_evidence;
ALTER TABLE intake_evidence_v4 RENAME TO intake_evidence;

CREATE TRIGGER intake_tests_append_only_update BEFORE UPDATE ON intake_tests
BEGIN
    SELECT RAISE(ABORT, 'intake test results are history: they cannot be changed');
END;
CREATE TRIGGER intake_tests_append_only_delete BEFORE DELETE ON intake_tests
BEGIN
    SELECT RAISE(ABORT, 'intake test results are history: they cannot be deleted');
END;
CREATE TRIGGER intake_evidence_append_only_update BEFORE UPDATE ON intake_evidence
BEGIN
    SELECT RAISE(ABORT, 'intake evidence is history: it cannot be changed');
END;
CREATE TRIGGER intake_evidence_append_only_delete BEFORE DELETE ON intake_evidence
BEGIN
    SELECT RAISE(ABORT, 'intake evidence is history: it cannot be deleted');
END;
