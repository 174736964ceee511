-- Verification sampling: a share of verified erasures is drawn, per technician and per week, for
-- another operator to re-check independently (as R2v3 recyclers do).
--
-- A draw records its seed, its share and the erasures it considered (its population), so the
-- same draw can be replayed and no erasure is considered twice. A sample is one erasure in the
-- queue: drawn, or flagged because a sample of the same technician failed. Its result is written
-- once, with who checked it, how, and when.

CREATE TABLE qa_draws (
    id                  TEXT PRIMARY KEY,
    station_id          TEXT NOT NULL REFERENCES station (id),
    drawn_at            TEXT NOT NULL,
    drawn_by            TEXT NOT NULL,
    share_pct           REAL NOT NULL CHECK (share_pct > 0 AND share_pct <= 100),
    seed                TEXT NOT NULL,
    -- The ids of every verified erasure this draw considered, as a JSON array.
    population_json     TEXT NOT NULL
);

CREATE TABLE qa_samples (
    id                  TEXT PRIMARY KEY,
    station_id          TEXT NOT NULL REFERENCES station (id),
    erasure_id          TEXT NOT NULL REFERENCES erasures (id),
    technician          TEXT NOT NULL,
    -- The ISO week the erasure started in, e.g. 2026-W49.
    week                TEXT NOT NULL,
    reason              TEXT NOT NULL CHECK (reason IN ('drawn', 'flagged')),
    draw_id             TEXT REFERENCES qa_draws (id),
    flagged_by          TEXT REFERENCES qa_samples (id),
    queued_at           TEXT NOT NULL,
    result              TEXT CHECK (result IN ('pass', 'fail')),
    check_kind          TEXT CHECK (check_kind IN ('readback', 'manual')),
    verified_by         TEXT,
    verified_at         TEXT,
    note                TEXT,
    CHECK ((result IS NULL) = (verified_at IS NULL))
);

-- An erasure waits in the queue at most once at a time.
CREATE UNIQUE INDEX qa_samples_one_open ON qa_samples (erasure_id) WHERE result IS NULL;
CREATE INDEX qa_samples_technician ON qa_samples (technician, result);
