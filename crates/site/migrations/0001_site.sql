-- Site schema version 1: every station's audit log as it was written, the records its entries
-- name (as the canonical JSON their digests cover), and how far each station has replicated.

CREATE TABLE site_stations (
    station_id      uuid PRIMARY KEY,
    -- The seq of the last audit entry of this station applied on the site: the high-water mark
    -- a push resumes from.
    mark            bigint NOT NULL DEFAULT 0,
    first_push_at   timestamptz NOT NULL DEFAULT now(),
    last_push_at    timestamptz,
    last_error      text,
    last_error_at   timestamptz
);

-- The same mark per entity (table), with the count of entries applied.
CREATE TABLE site_marks (
    station_id      uuid NOT NULL REFERENCES site_stations (station_id),
    entity          text NOT NULL,
    last_seq        bigint NOT NULL,
    entries         bigint NOT NULL,
    PRIMARY KEY (station_id, entity)
);

-- Each station's hash chain, stored exactly as the station wrote it (text as written), so it
-- verifies per station on the site.
CREATE TABLE audit_log (
    station_id      uuid NOT NULL REFERENCES site_stations (station_id),
    seq             bigint NOT NULL,
    id              uuid NOT NULL UNIQUE,
    at              text NOT NULL,
    operator        text NOT NULL,
    action          text NOT NULL,
    entity          text NOT NULL,
    entity_id       text NOT NULL,
    before_digest   text,
    after_digest    text,
    prev_hash       text NOT NULL,
    hash            text NOT NULL,
    PRIMARY KEY (station_id, seq)
);
CREATE INDEX audit_log_entity ON audit_log (station_id, entity, entity_id, seq);

-- Each record as its latest replicated entry left it (`seq`), in the canonical JSON its digest
-- covers: a device, an intake with its evidence, a checklist with its answers, a certificate
-- with its PDF (hex), a batch with its lines...
CREATE TABLE records (
    station_id      uuid NOT NULL REFERENCES site_stations (station_id),
    entity          text NOT NULL,
    entity_id       text NOT NULL,
    seq             bigint NOT NULL,
    record          jsonb NOT NULL,
    PRIMARY KEY (station_id, entity, entity_id)
);
CREATE INDEX records_device_imei ON records ((record ->> 'imei')) WHERE entity = 'device';
CREATE INDEX records_device_serial ON records ((record ->> 'serial')) WHERE entity = 'device';
