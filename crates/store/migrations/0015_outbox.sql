-- Schema version 15 (issue 18): the marketplace outbox.
--
-- Each change to send to the marketplace is written here in the same transaction as the change
-- that causes it. The worker moves an entry pending → in_flight → sent (or back to pending with
-- its error and next attempt time, or to failed when the marketplace refused it). Entries of one
-- resource (a listing, an order line, a buyback order) are sent in `seq` order: an unfinished
-- entry holds back the later ones of its resource.
--
-- The entries are working state, not evidence: they change without an audit entry. What an
-- operator decides about one (retry, cancel) is evidence: a row of outbox_actions, chained in
-- the audit log like every record, and never changed.
CREATE TABLE outbox (
    id               TEXT PRIMARY KEY NOT NULL,
    seq              INTEGER NOT NULL UNIQUE,
    kind             TEXT NOT NULL,
    resource         TEXT NOT NULL,
    payload_json     TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'sent', 'failed', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    next_attempt_at  TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    station_id       TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE INDEX outbox_open ON outbox (state, resource, seq);
CREATE INDEX outbox_resource ON outbox (resource, seq);

CREATE TABLE outbox_actions (
    id          TEXT PRIMARY KEY NOT NULL,
    entry_id    TEXT NOT NULL REFERENCES outbox (id),
    action      TEXT NOT NULL CHECK (action IN ('retry', 'cancel')),
    operator    TEXT NOT NULL,
    at          TEXT NOT NULL,
    station_id  TEXT NOT NULL REFERENCES station (id)
) STRICT;

CREATE TRIGGER outbox_actions_kept BEFORE UPDATE ON outbox_actions
BEGIN
    SELECT RAISE(ABORT, 'outbox actions are evidence: they are never changed');
END;

CREATE TRIGGER outbox_actions_not_deleted BEFORE DELETE ON outbox_actions
BEGIN
    SELECT RAISE(ABORT, 'outbox actions are evidence: they are never deleted');
END;
