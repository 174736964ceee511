-- Schema version 7: an intake is one row.
--
-- Until version 6 an intake was about twenty rows: the intake, one row per
-- test result in intake_tests and one per raw protocol line in
-- intake_evidence, each keyed by the intake's 36-character id. Recording
-- stations could not get past a few thousand intakes a second that way.
--
-- 1. The test results and the evidence lines move into the intake row as two
--    JSON arrays, in their recorded order:
--      tests_json     [[name, outcome, detail], ...]    detail may be null
--      evidence_json  [[at, direction, line], ...]      at as stored before
--    Every line keeps its exact text, its direction and its timestamp. The
--    old tables become views of the same name and columns, for anyone who
--    reads the evidence line by line with an SQL shell.
--
-- 2. record_format says how the audit log digests the intake (audit.rs).
--    1 is an intake recorded before this version: its digest was taken over
--    the intake row and its rows in the two old tables, so the store rebuilds
--    exactly those rows from the arrays to check it; the arrays are
--    therefore still covered, line by line, and no audit entry is rewritten.
--    2 is an intake recorded from this version on: its digest covers the row
--    as stored, arrays included byte for byte. Changing the column itself
--    makes the intake digest the other way and fail its check.
--
-- Intakes are append-only (triggers in version 1); the trigger that forbids
-- changing them is lifted for the one UPDATE that fills the new columns.

ALTER TABLE intakes ADD COLUMN tests_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE intakes ADD COLUMN evidence_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE intakes ADD COLUMN record_format INTEGER NOT NULL DEFAULT 1
    CHECK (record_format IN (1, 2));

DROP TRIGGER intakes_append_only_update;

UPDATE intakes SET
    tests_json = (
        SELECT json_group_array(json_array(t.name, t.outcome, t.detail) ORDER BY t.seq)
        FROM intake_tests t WHERE t.intake_id = intakes.id
    ),
    evidence_json = (
        SELECT json_group_array(json_array(e.at, e.direction, e.line) ORDER BY e.seq)
        FROM intake_evidence e WHERE e.intake_id = intakes.id
    );

CREATE TRIGGER intakes_append_only_update BEFORE UPDATE ON intakes
BEGIN
    SELECT RAISE(ABORT, 'intakes are history: record a new intake instead of changing one');
END;

-- Their append-only triggers go with them.
DROP TABLE intake_tests;
DROP TABLE intake_evidence;

CREATE VIEW intake_tests AS
SELECT i.id AS intake_id, t.key + 1 AS seq, t.value ->> 0 AS name,
       t.value ->> 1 AS outcome, t.value ->> 2 AS detail
FROM intakes i, json_each(i.tests_json) t;

CREATE VIEW intake_evidence AS
SELECT i.id AS intake_id, e.key + 1 AS seq, e.value ->> 0 AS at,
       e.value ->> 1 AS direction, e.value ->> 2 AS line
FROM intakes i, json_each(i.evidence_json) e;

-- 3. The quality manager's list (intake.rs, list_devices) walks one of these
--    indexes newest first and must test the other filters, and find the
--    intake's device, for every entry it passes. With those columns in the
--    index it does so without reading the intake row, which now holds the
--    evidence too (one row fills most of a page). A rare combination of
--    filters (a battery verdict and a lock verdict that occur together in
--    0.03 % of intakes) passes tens of thousands of entries for a page.

DROP INDEX intakes_started;
DROP INDEX intakes_battery_verdict;
DROP INDEX intakes_lock_verdict;
DROP INDEX intakes_operator;

CREATE INDEX intakes_started
    ON intakes (started_at, id, device_id);
CREATE INDEX intakes_battery_verdict
    ON intakes (battery_verdict, started_at, id, lock_verdict, operator, device_id);
CREATE INDEX intakes_lock_verdict
    ON intakes (lock_verdict, started_at, id, battery_verdict, operator, device_id);
CREATE INDEX intakes_operator
    ON intakes (operator, started_at, id, battery_verdict, lock_verdict, device_id);
