-- The site database this station is attached to (at most one): while attached, the site owns the
-- operators, the organisation-wide settings and the published signing keys, which come down with
-- each pull; a local change to a site-owned setting is refused.
CREATE TABLE site_attachment (
    id          INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    -- The site's address without its password, as messages name it.
    site        TEXT NOT NULL,
    attached_at TEXT NOT NULL,
    pulled_at   TEXT NOT NULL
) STRICT;
