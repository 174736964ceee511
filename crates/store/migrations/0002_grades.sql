-- Schema version 2: grading. What the technician answered on the checklist,
-- the cosmetic inspection with its photos, and the grade a versioned policy
-- gave from them and from the intake.
--
-- All of it is history: grading a device again appends a new checklist, a new
-- inspection and a new grade; nothing here is ever updated or deleted. Ids are
-- UUID v7 text, timestamps RFC 3339 UTC text with nine fractional digits, and
-- every top-level record names its station, as in version 1.

CREATE TABLE checklists (
    id          TEXT PRIMARY KEY NOT NULL,
    device_id   TEXT NOT NULL REFERENCES devices (id),
    intake_id   TEXT NOT NULL REFERENCES intakes (id),
    -- The template the answers belong to (one per device category).
    category    TEXT NOT NULL
                CHECK (category IN ('phone', 'tablet', 'laptop', 'desktop', 'monitor')),
    recorded_at TEXT NOT NULL,
    operator    TEXT NOT NULL,
    station_id  TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE INDEX checklists_intake ON checklists (intake_id);

-- The technician's answers only; what the bench found stays in intake_tests.
CREATE TABLE checklist_answers (
    checklist_id TEXT NOT NULL REFERENCES checklists (id),
    seq          INTEGER NOT NULL,
    item         TEXT NOT NULL,
    answer       TEXT NOT NULL CHECK (answer IN ('pass', 'fail', 'na')),
    PRIMARY KEY (checklist_id, seq),
    UNIQUE (checklist_id, item)
) STRICT;

CREATE TABLE cosmetic_inspections (
    id          TEXT PRIMARY KEY NOT NULL,
    device_id   TEXT NOT NULL REFERENCES devices (id),
    intake_id   TEXT NOT NULL REFERENCES intakes (id),
    recorded_at TEXT NOT NULL,
    operator    TEXT NOT NULL,
    station_id  TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE INDEX cosmetic_inspections_intake ON cosmetic_inspections (intake_id);

CREATE TABLE cosmetic_zones (
    inspection_id TEXT NOT NULL REFERENCES cosmetic_inspections (id),
    zone          TEXT NOT NULL
                  CHECK (zone IN ('screen', 'back', 'frame', 'lid', 'deck', 'keyboard',
                                  'bottom', 'housing', 'stand')),
    level         TEXT NOT NULL
                  CHECK (level IN ('flawless', 'micro', 'light', 'visible', 'cracked')),
    PRIMARY KEY (inspection_id, zone)
) STRICT;

-- A photo is kept as its path and the SHA-256 of its bytes when it was
-- recorded, so a file swapped later no longer matches its record.
CREATE TABLE cosmetic_photos (
    inspection_id TEXT NOT NULL,
    zone          TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    path          TEXT NOT NULL,
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    PRIMARY KEY (inspection_id, zone, seq),
    FOREIGN KEY (inspection_id, zone) REFERENCES cosmetic_zones (inspection_id, zone)
) STRICT;

CREATE TABLE grades (
    id             TEXT PRIMARY KEY NOT NULL,
    device_id      TEXT NOT NULL REFERENCES devices (id),
    intake_id      TEXT NOT NULL REFERENCES intakes (id),
    checklist_id   TEXT NOT NULL REFERENCES checklists (id),
    inspection_id  TEXT NOT NULL REFERENCES cosmetic_inspections (id),
    graded_at      TEXT NOT NULL,
    operator       TEXT NOT NULL,
    station_id     TEXT NOT NULL REFERENCES station (id),
    -- Which policy decided, exactly: the same inputs and the same policy give
    -- the same grade, and the digest tells an edited file from the original.
    policy_name    TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    policy_sha256  TEXT NOT NULL CHECK (length(policy_sha256) = 64),
    outcome        TEXT NOT NULL
                   CHECK (outcome IN ('sellable', 'repair', 'hold', 'blocked', 'recycle')),
    listing_grade  TEXT NOT NULL
                   CHECK (listing_grade IN ('PREMIUM', 'EXCELLENT', 'VERY_GOOD', 'GOOD', 'FAIR',
                                            'STALLONE')),
    buyback_grade  TEXT NOT NULL
                   CHECK (buyback_grade IN ('FUNCTIONAL_FLAWLESS', 'FUNCTIONAL_GOOD',
                                            'FUNCTIONAL_USED', 'FUNCTIONAL_CRACKED',
                                            'NOT_FUNCTIONAL_USED', 'NOT_FUNCTIONAL_CRACKED')),
    ctia_code      TEXT NOT NULL,
    -- 1 when manual items or zones were left unanswered on purpose (--partial).
    partial        INTEGER NOT NULL CHECK (partial IN (0, 1)),
    -- The reasons shown to people, and everything the policy was given.
    reasons_json   TEXT NOT NULL,
    inputs_json    TEXT NOT NULL
) STRICT;

CREATE INDEX grades_device_latest ON grades (device_id, graded_at DESC, id DESC);
CREATE INDEX grades_intake ON grades (intake_id);
CREATE INDEX grades_outcome ON grades (outcome);

CREATE TRIGGER checklists_append_only_update BEFORE UPDATE ON checklists
BEGIN
    SELECT RAISE(ABORT, 'checklists are history: grade the device again instead of changing one');
END;
CREATE TRIGGER checklists_append_only_delete BEFORE DELETE ON checklists
BEGIN
    SELECT RAISE(ABORT, 'checklists are history: they cannot be deleted');
END;
CREATE TRIGGER checklist_answers_append_only_update BEFORE UPDATE ON checklist_answers
BEGIN
    SELECT RAISE(ABORT, 'checklist answers are history: they cannot be changed');
END;
CREATE TRIGGER checklist_answers_append_only_delete BEFORE DELETE ON checklist_answers
BEGIN
    SELECT RAISE(ABORT, 'checklist answers are history: they cannot be deleted');
END;
CREATE TRIGGER cosmetic_inspections_append_only_update BEFORE UPDATE ON cosmetic_inspections
BEGIN
    SELECT RAISE(ABORT, 'cosmetic inspections are history: inspect the device again instead of changing one');
END;
CREATE TRIGGER cosmetic_inspections_append_only_delete BEFORE DELETE ON cosmetic_inspections
BEGIN
    SELECT RAISE(ABORT, 'cosmetic inspections are history: they cannot be deleted');
END;
CREATE TRIGGER cosmetic_zones_append_only_update BEFORE UPDATE ON cosmetic_zones
BEGIN
    SELECT RAISE(ABORT, 'cosmetic zone levels are history: they cannot be changed');
END;
CREATE TRIGGER cosmetic_zones_append_only_delete BEFORE DELETE ON cosmetic_zones
BEGIN
    SELECT RAISE(ABORT, 'cosmetic zone levels are history: they cannot be deleted');
END;
CREATE TRIGGER cosmetic_photos_append_only_update BEFORE UPDATE ON cosmetic_photos
BEGIN
    SELECT RAISE(ABORT, 'cosmetic photos are history: they cannot be changed');
END;
CREATE TRIGGER cosmetic_photos_append_only_delete BEFORE DELETE ON cosmetic_photos
BEGIN
    SELECT RAISE(ABORT, 'cosmetic photos are history: they cannot be deleted');
END;
CREATE TRIGGER grades_append_only_update BEFORE UPDATE ON grades
BEGIN
    SELECT RAISE(ABORT, 'grades are history: grade the device again instead of changing one');
END;
CREATE TRIGGER grades_append_only_delete BEFORE DELETE ON grades
BEGIN
    SELECT RAISE(ABORT, 'grades are history: they cannot be deleted');
END;
